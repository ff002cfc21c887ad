/// What the detector found in a conversation and what it decided about every number it read —
/// the redacted ones and the ones it kept (an order number, a price) — for the admin audit
/// (docs/redaction.md "Audit"). `NumberDecision.digits` is the value itself: it stays in memory,
/// and only a keyed hash of it is ever stored.
package struct PIIReview: Sendable, Equatable {
    package var findings: [PIIFinding]
    package var numbers: [NumberDecision]

    package init(findings: [PIIFinding] = [], numbers: [NumberDecision] = []) {
        self.findings = findings
        self.numbers = numbers
    }
}

/// One number the detector read: its digits, its words, the mention before it and what it made of it.
package struct NumberDecision: Sendable, Equatable {
    package var digits: String
    package var words: [WordRef]
    /// The latest mention before it (`card`, `decoy`, …), or nil when nothing said what it is.
    package var mention: String?
    /// The kinds it was redacted as; empty when it was kept.
    package var kinds: [PIIKind]

    package init(digits: String, words: [WordRef], mention: String?, kinds: [PIIKind]) {
        self.digits = digits
        self.words = words
        self.mention = mention
        self.kinds = kinds
    }
}
