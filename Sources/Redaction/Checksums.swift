/// The checks that tell a number of a kind from any other run of digits.
enum Checksums {
    /// Luhn's mod-10 check, as every payment card number passes it.
    static func luhn(_ digits: some Collection<Character>) -> Bool {
        var sum = 0
        for (index, character) in digits.reversed().enumerated() {
            guard let digit = character.wholeNumberValue else { return false }
            if index % 2 == 1 {
                let doubled = digit * 2
                sum += doubled > 9 ? doubled - 9 : doubled
            } else {
                sum += digit
            }
        }
        return sum % 10 == 0
    }

    /// A card number: 13–19 digits, Luhn, and an issuer's first digit (2–6: Mastercard, Visa,
    /// Amex, Discover, …; 1, 7, 8, 9 and 0 start no card a caller reads out).
    static func isCardNumber(_ digits: some Collection<Character>) -> Bool {
        guard (13...19).contains(digits.count), let first = digits.first?.wholeNumberValue, (2...6).contains(first)
        else { return false }
        return luhn(digits)
    }

    /// A North American number: area code and exchange not starting with 0 or 1 (10 digits, or
    /// 11 with the country code 1).
    static func isNANPPhone(_ digits: [Character]) -> Bool {
        var digits = digits[...]
        if digits.count == 11, digits.first == "1" { digits = digits.dropFirst() }
        guard digits.count == 10 else { return false }
        let area = digits[digits.startIndex].wholeNumberValue ?? 0
        let exchange = digits[digits.startIndex + 3].wholeNumberValue ?? 0
        return area >= 2 && exchange >= 2
    }

    /// A US social security number as issued: area not 000, 666 or 9xx; group not 00; serial not 0000.
    static func isSSN(_ digits: [Character]) -> Bool {
        guard digits.count == 9 else { return false }
        let text = String(digits)
        let area = text.prefix(3)
        let group = text.dropFirst(3).prefix(2)
        let serial = text.suffix(4)
        return area != "000" && area != "666" && !area.hasPrefix("9") && group != "00" && serial != "0000"
    }

    /// An IBAN: two letters, two check digits, 11–30 letters and digits, mod 97 = 1 (ISO 13616).
    static func isIBAN(_ text: String) -> Bool {
        let characters = Array(text.uppercased())
        guard (15...34).contains(characters.count), characters[0].isLetter, characters[1].isLetter,
            characters[2].isNumber, characters[3].isNumber,
            characters.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) })
        else { return false }
        var remainder = 0
        for character in characters[4...] + characters[..<4] {
            let value: Int
            if let digit = character.wholeNumberValue {
                value = digit
                remainder = (remainder * 10 + value) % 97
            } else {
                value = Int(character.asciiValue! - Character("A").asciiValue!) + 10
                remainder = (remainder * 100 + value) % 97
            }
        }
        return remainder == 1
    }
}
