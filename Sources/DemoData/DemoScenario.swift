import AIClients

/// The kinds of call the demo data is made of: what is said, what it is about, how it tends to end.
struct DemoScenario: Sendable {
    var topics: [String]
    /// Alternating lines, agent first.
    var lines: [String]
    var summary: String
    var keyPoints: [String]
    var actionItems: [(text: String, owner: String)]
    /// Outcomes and their weights.
    var outcomes: [(CallOutcome, Double)]
    /// Typical customer sentiment, −1 … 1.
    var sentiment: Double

    static let all: [DemoScenario] = [
        DemoScenario(
            topics: ["internet outage", "router"],
            lines: [
                "Thanks for calling, this is support, how can I help?", "My internet has been down since this morning.",
                "I'm sorry about that. Let me check your line.", "It keeps dropping every few minutes.",
                "I see an outage in your area; it should be fixed by six.", "Okay, thanks for letting me know.",
            ],
            summary:
                "Customer reported repeated internet drops; agent confirmed a local outage and gave the repair time.",
            keyPoints: ["Internet dropping since the morning", "Local outage confirmed", "Repair expected by 18:00"],
            actionItems: [("Text the customer when the outage is fixed", "agent")],
            outcomes: [(.resolved, 6), (.callback, 2), (.escalated, 1)], sentiment: -0.1),
        DemoScenario(
            topics: ["billing", "refund"],
            lines: [
                "Good afternoon, billing team.", "I was charged twice for my last invoice.",
                "Let me look at the account. Yes, I see a duplicate payment.", "I want that money back today.",
                "I've issued a refund; it shows in three to five days.", "Fine, but this is the second time.",
            ],
            summary: "Customer was charged twice; agent confirmed the duplicate payment and issued a refund.",
            keyPoints: ["Duplicate charge on the last invoice", "Refund issued", "Customer frustrated: second time"],
            actionItems: [
                ("Confirm the refund has been processed", "company"),
                ("Check for the cause of duplicate billing", "company"),
            ],
            outcomes: [(.resolved, 5), (.escalated, 2), (.unresolved, 1)], sentiment: -0.45),
        DemoScenario(
            topics: ["cancellation", "retention"],
            lines: [
                "Hello, customer care.", "I want to cancel my contract.", "I'm sorry to hear that, may I ask why?",
                "It's too expensive and the service is slow.", "I can offer a discount and a faster plan.",
                "Let me think about it; call me back tomorrow.",
            ],
            summary: "Customer asked to cancel over price and speed; agent offered a discount and a faster plan.",
            keyPoints: ["Cancellation request", "Price and speed complaints", "Retention offer made"],
            actionItems: [("Call the customer back tomorrow with the offer", "agent")],
            outcomes: [(.callback, 4), (.escalated, 2), (.unresolved, 2), (.resolved, 1)], sentiment: -0.55),
        DemoScenario(
            topics: ["upgrade", "sales"],
            lines: [
                "Hi, I'm calling about your plan.", "Oh, okay, what about it?",
                "You qualify for a faster plan at the same price.", "That sounds great, what do I need to do?",
                "I'll switch you over today, nothing else needed.", "Perfect, thank you so much.",
            ],
            summary: "Outbound call: agent offered a faster plan at the same price and the customer accepted.",
            keyPoints: ["Upgrade offered", "Accepted", "Switch today"],
            actionItems: [("Switch the customer to the new plan", "company")],
            outcomes: [(.resolved, 8), (.callback, 1)], sentiment: 0.6),
        DemoScenario(
            topics: ["password reset", "account"],
            lines: [
                "Support, how can I help?", "I can't log into my account.", "I'll send you a reset link now.",
                "Got it. It worked.", "Great, anything else?", "No, that's all, thanks.",
            ],
            summary: "Customer could not log in; agent sent a password reset link that worked.",
            keyPoints: ["Login problem", "Reset link sent", "Access restored"],
            actionItems: [],
            outcomes: [(.resolved, 9), (.unresolved, 1)], sentiment: 0.35),
        DemoScenario(
            topics: ["delivery", "technician"],
            lines: [
                "Field services, good morning.", "The technician didn't show up yesterday.",
                "I apologise, let me rebook that for you.",
                "I took a day off for this. I want to speak to a supervisor.",
                "I'll pass this to my supervisor and rebook for tomorrow morning.", "Make sure it happens this time.",
            ],
            summary: "Technician missed the appointment; customer asked for a supervisor; visit rebooked for tomorrow.",
            keyPoints: ["Missed technician visit", "Supervisor requested", "Rebooked for tomorrow morning"],
            actionItems: [("Supervisor to call the customer", "company"), ("Confirm tomorrow's visit", "agent")],
            outcomes: [(.escalated, 5), (.resolved, 2), (.callback, 2)], sentiment: -0.7),
    ]
}
