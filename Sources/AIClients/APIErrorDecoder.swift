import Foundation

/// Turns a non-2xx answer into an `AIClientError`, whatever shape the server chose: OpenAI's
/// `{"error": {"message", "type", "code"}}`, FastAPI-style `{"detail": ...}`, plain text or an
/// HTML error page from a proxy.
enum APIErrorDecoder {
    static func error(status: Int, body: Data, contentType: String?, purpose: String, apiKey: String?)
        -> AIClientError
    {
        let detail = AIClientError.masking(describe(body: body, contentType: contentType), in: apiKey)
        let serverText = detail.isEmpty ? "" : ": \(detail)"
        let code = errorCode(body)
        switch status {
        case 401, 403:
            return AIClientError(
                .unauthorized,
                "\(purpose): the AI server rejected the API key (HTTP \(status))\(serverText); check OPENAI_API_KEY",
                status: status)
        case 429 where code == "insufficient_quota":
            return AIClientError(
                .quotaExceeded, "\(purpose): the AI account has no quota left (HTTP 429)\(serverText)", status: status)
        case 429:
            return AIClientError(
                .rateLimited, "\(purpose): rate limited by the AI server (HTTP 429)\(serverText)", status: status)
        case 408, 409, 500...599:
            return AIClientError(
                .serverError, "\(purpose): the AI server failed (HTTP \(status))\(serverText)", status: status)
        default:
            return AIClientError(
                .badRequest, "\(purpose): the AI server refused the request (HTTP \(status))\(serverText)",
                status: status)
        }
    }

    /// OpenAI's machine-readable `error.code` or `error.type`.
    static func errorCode(_ body: Data) -> String? {
        guard let object = try? JSONSerialization.jsonObject(with: body) as? [String: Any],
            let error = object["error"] as? [String: Any]
        else { return nil }
        return (error["code"] as? String) ?? (error["type"] as? String)
    }

    /// A one-line description of the server's error body, at most 300 characters.
    static func describe(body: Data, contentType: String?) -> String {
        var text: String
        if let object = try? JSONSerialization.jsonObject(with: body) as? [String: Any] {
            if let error = object["error"] as? [String: Any], let message = error["message"] as? String {
                text = message
            } else if let message = object["error"] as? String {
                text = message
            } else if let detail = object["detail"] {
                text = detail as? String ?? String(describing: detail)
            } else {
                text = String(decoding: body, as: UTF8.self)
            }
        } else if contentType?.lowercased().contains("html") == true || body.starts(with: Data("<".utf8)) {
            text = "an HTML error page"
        } else {
            text = String(decoding: body, as: UTF8.self)
        }
        text = text.replacingOccurrences(of: "\n", with: " ").trimmingCharacters(in: .whitespaces)
        return text.count > 300 ? String(text.prefix(300)) + "…" : text
    }
}
