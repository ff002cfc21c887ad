/// The kinds of personal data the redaction finds (docs/redaction.md), each replaced by its token.
package enum PIIKind: String, CaseIterable, Codable, Sendable, Comparable {
    case cardNumber = "card_number"
    /// CVV/CVC, only in card context.
    case cardSecurityCode = "card_security_code"
    /// A card's expiry, only in card context.
    case cardExpiry = "card_expiry"
    /// A bank account or routing number in banking context, or an IBAN (checksum).
    case bankAccount = "bank_account"
    case ssn
    case phone
    case email
    case dateOfBirth = "date_of_birth"
    case address
    /// A name the caller gives for themselves ("my name is …").
    case person

    /// What replaces the words: `[CARD_NUMBER]`, `[EMAIL]`, …
    package var token: String { "[\(rawValue.uppercased())]" }

    package static func < (lhs: PIIKind, rhs: PIIKind) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}
