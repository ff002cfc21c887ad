/// A number the vendor may send as a JSON number or as a string of digits (Dialpad's ids and
/// millisecond timestamps arrive as strings although its schema says int64). An id keeps its
/// digits exactly (`idText`), whatever its size; `value` is for times and durations.
struct FlexibleNumber: Decodable, Sendable, Equatable {
    var value: Double
    /// The digits as sent, for ids.
    var idText: String

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let integer = try? container.decode(Int64.self) {
            value = Double(integer)
            idText = String(integer)
        } else if let number = try? container.decode(Double.self) {
            value = number
            idText = number.rounded() == number && abs(number) < 9e18 ? String(Int64(number)) : String(number)
        } else if let text = try? container.decode(String.self), let number = Double(text) {
            value = number
            idText = text
        } else {
            throw DecodingError.dataCorruptedError(
                in: container, debugDescription: "expected a number or a string of digits")
        }
    }
}
