/// What the words just before a number say it is ("your card number?", "and your date of birth")
/// — the latest such mention wins: "card number … and the expiry" makes the next digits an expiry.
enum PIIContext: CaseIterable {
    case card, securityCode, expiry, ssn, bank, phone, birth
    /// Order, ticket, tracking, reference numbers and the like: digits that are not personal data.
    case decoy

    var phrases: [[String]] {
        switch self {
        case .card:
            return Self.split([
                "card", "visa", "mastercard", "amex", "american express", "discover card", "credit", "debit",
            ])
        case .securityCode:
            return Self.split([
                "cvv", "cvc", "cv2", "security code", "three digit", "3 digit", "three digits", "four digit code",
                "back of the card", "verification code", "card verification",
            ])
        case .expiry:
            return Self.split([
                "expiry", "expiration", "expires", "expire", "exp", "valid thru", "valid through", "valid until",
                "expiring", "run out", "runs out", "good thru", "good through",
            ])
        case .ssn: return Self.split(["social", "ssn", "social security", "security number"])
        case .bank:
            return Self.split(["routing", "bank account", "checking", "savings", "sort code", "iban", "bank"])
        case .phone:
            return Self.split([
                "phone", "cell", "mobile", "telephone", "callback", "call back", "reach me", "landline", "text me",
                "call me",
            ])
        case .birth: return Self.split(["born", "birth", "birthday", "birthdate", "dob", "d o b"])
        case .decoy:
            return Self.split([
                // "case" only with "number"/"id": "in case we're disconnected" is no case number.
                "order", "invoice", "ticket", "tracking", "reference", "confirmation", "case number", "case id",
                "policy", "claim",
                "model", "serial", "member", "customer number", "extension", "flight",
                "room", "price", "dollars", "cents", "percent", "minutes", "hours", "o'clock",
            ])
        }
    }

    /// The mention's name in the audit (`card`, `security_code`, `decoy`, …).
    var name: String {
        switch self {
        case .card: "card"
        case .securityCode: "security_code"
        case .expiry: "expiry"
        case .ssn: "ssn"
        case .bank: "bank"
        case .phone: "phone"
        case .birth: "birth"
        case .decoy: "decoy"
        }
    }

    private static func split(_ phrases: [String]) -> [[String]] {
        phrases.map { $0.split(separator: " ").map(String.init) }
    }

    /// Every kind's phrases, split once (every number and month name reads them).
    private static let table = allCases.map { ($0, $0.phrases) }

    /// The latest mention among `words` (lowercased, oldest first): its kind, or nil when none.
    static func latest(in words: [String]) -> PIIContext? {
        var best: (kind: PIIContext, end: Int, length: Int)?
        for (kind, phrases) in table {
            for phrase in phrases where phrase.count <= words.count {
                for start in stride(from: words.count - phrase.count, through: 0, by: -1) {
                    guard words[start..<start + phrase.count].elementsEqual(phrase, by: Self.matches) else { continue }
                    let end = start + phrase.count - 1
                    if best == nil || end > best!.end || (end == best!.end && phrase.count > best!.length) {
                        best = (kind, end, phrase.count)
                    }
                    break
                }
            }
        }
        return best?.kind
    }

    /// A word matches a phrase's word as itself or its plural/possessive ("cards", "card's").
    private static func matches(_ word: String, _ phrase: String) -> Bool {
        word == phrase || word == phrase + "s" || word == phrase + "'s"
    }
}
