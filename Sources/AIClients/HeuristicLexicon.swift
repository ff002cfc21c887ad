/// The word lists behind `HeuristicCallAnalyzer`: a small sentiment lexicon tuned to support calls,
/// negators, and cue phrases for action items, issues, outcomes and topics.
enum HeuristicLexicon {
    static let positive: Set<String> = [
        "thank", "thanks", "great", "good", "perfect", "excellent", "appreciate", "appreciated", "happy", "glad",
        "wonderful", "awesome", "helpful", "resolved", "fixed", "works", "working", "welcome", "pleased", "love",
        "nice", "fantastic", "amazing", "sure", "free", "easy", "quick", "quickly", "solved", "fine", "brilliant",
    ]
    static let negative: Set<String> = [
        "problem", "problems", "issue", "issues", "broken", "dropping", "drops", "dropped", "angry", "frustrated",
        "frustrating", "terrible", "awful", "bad", "worse", "worst", "cancel", "unacceptable", "disappointed",
        "complaint", "wrong", "error", "fail", "failed", "failing", "slow", "charged", "overcharged", "refund",
        "late", "never", "useless", "annoying", "upset", "sorry", "lawyer", "ridiculous", "waiting", "outage",
    ]
    static let negators: Set<String> = [
        "not", "no", "never", "don't", "doesn't", "didn't", "isn't", "wasn't", "can't", "won't",
    ]

    static let stopWords: Set<String> = [
        "the", "a", "an", "and", "or", "but", "to", "of", "in", "on", "for", "with", "is", "it", "this", "that", "i",
        "you", "we", "my", "your", "our", "me", "be", "are", "was", "am", "can", "will", "have", "has", "do", "so",
        "at", "as", "please", "hi", "hello", "yes", "ok", "okay", "just", "what", "how", "there", "they", "them",
    ]

    /// Commitments: the speaker will do something.
    static let commitments = [
        "i will", "i'll", "we will", "we'll", "let me", "i am going to", "i'm going to", "we are going to",
        "i can send", "i'll send", "i will send", "call you back", "follow up",
    ]
    /// Requests: the other party is asked to do something.
    static let requests = ["you need to", "you will need to", "please make sure", "could you", "can you please"]
    static let dueCues = [
        "today", "tomorrow", "tonight", "this week", "next week", "by monday", "by tuesday", "by wednesday",
        "by thursday", "by friday", "within 24 hours", "within 48 hours", "end of day", "in an hour",
    ]
    static let issueCues = [
        "problem", "issue", "not working", "doesn't work", "does not work", "keeps", "dropping", "broken", "error",
        "can't", "cannot", "won't", "charged", "wrong", "outage", "slow", "missing", "failed",
    ]

    static let voicemailCues = ["leave a message", "after the tone", "voicemail", "not available to take your call"]
    static let escalationCues = ["supervisor", "manager", "escalate", "escalating", "transfer you", "specialist team"]
    static let callbackCues = ["call you back", "callback", "call back", "follow up with you", "get back to you"]
    static let resolutionCues = [
        "fixed", "resolved", "sorted", "that works", "all set", "free of charge", "is free", "reset", "refunded",
        "new router", "replacement", "done",
    ]
    static let gratitudeCues = ["thank you", "thanks", "great", "perfect", "appreciate"]
    static let greetingCues = ["thank you for calling", "how can i help", "how may i help", "this is", "my name is"]
    /// What callers say about their own problem.
    static let callerCues = [
        "my bill", "my account", "my internet", "my order", "i was charged", "i need", "i want", "i'm calling",
        "i am calling",
    ]

    /// Topic → the words that signal it.
    static let topics: [(String, [String])] = [
        (
            "connectivity",
            ["internet", "connection", "dropping", "wifi", "wi-fi", "outage", "signal", "line", "offline"]
        ),
        ("billing", ["bill", "billing", "charge", "charged", "invoice", "payment", "refund", "price", "cost", "fee"]),
        ("hardware", ["router", "modem", "device", "hardware", "replacement", "cable", "port"]),
        ("account", ["account", "password", "login", "log in", "username", "verify", "verification"]),
        ("cancellation", ["cancel", "cancellation", "terminate", "close my account"]),
        ("delivery", ["deliver", "delivery", "shipping", "ship", "send you", "package", "tracking"]),
        ("technical support", ["reset", "restart", "reboot", "settings", "configure", "update", "error"]),
        ("complaint", ["complaint", "unacceptable", "disappointed", "lawyer", "frustrated"]),
    ]
}
