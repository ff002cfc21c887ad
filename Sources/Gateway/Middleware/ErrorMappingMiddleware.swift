import Audio
import CRM
import CallPipeCore
import Foundation
import Hummingbird
import Logging
import NIOCore

/// Turns every failure into the API's error shape with the right status: module errors are
/// mapped here, once (docs/ARCHITECTURE.md, Conventions); anything unexpected is a 500 whose details stay in the log.
struct ErrorMappingMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as APIError {
            throw error
        } catch let error as CallPipeError {
            switch error.code {
            case .notFound: throw APIError.notFound(error.message)
            case .conflict: throw APIError(.conflict, "conflict", ServerPaths.redact(error.message))
            case .invalid: throw APIError.badRequest("invalid", ServerPaths.redact(error.message))
            case .capacity: throw APIError(.serviceUnavailable, "at_capacity", error.message)
            case .storage:
                throw APIError(.serviceUnavailable, "storage_unavailable", "the database is unavailable; try again")
            case .storageFull:
                throw APIError.insufficientStorage(error.message)
            }
        } catch let error as CRMError {
            switch error.code {
            case .invalid: throw APIError.badRequest("invalid", error.message)
            case .deliveryRejected, .deliveryUnauthorized, .deliveryUnavailable:
                throw APIError(.badGateway, "crm_error", error.message)
            }
        } catch let error as AudioError {
            throw Self.apiError(error)
        } catch let error as NIOTooManyBytesError {
            let limit = error.maxBytes.map { " of \($0) bytes" } ?? ""
            throw APIError(.contentTooLarge, "too_large", "the request body is over this route's limit\(limit)")
        } catch let error as DecodingError {
            throw APIError.badRequest("invalid_json", Self.describe(error))
        } catch let error as HTTPError {
            let code =
                error.status == .contentTooLarge ? "too_large" : error.status == .notFound ? "not_found" : "http_error"
            throw APIError(error.status, code, error.body ?? error.status.reasonPhrase)
        } catch {
            context.logger.error("Unexpected error", metadata: ["error": "\(error)"])
            throw APIError(.internalServerError, "internal", "the server failed to handle the request")
        }
    }

    static func apiError(_ error: AudioError) -> APIError {
        // Never the server's path: the recording is named as such, and any other path is redacted.
        let error = error.naming("the recording")
        let message = ServerPaths.redact(error.description)
        switch error.code {
        case .unsupportedFormat, .noAudioStream, .unsupportedCodec:
            return APIError(.unsupportedMediaType, "unsupported_audio", message)
        case .empty, .truncated, .corrupt:
            return APIError(.unprocessableContent, "unreadable_audio", message)
        case .tooLong, .timedOut:
            return APIError(.unprocessableContent, "audio_too_long", message)
        default:
            return APIError(.internalServerError, "audio_failure", message)
        }
    }

    static func describe(_ error: DecodingError) -> String {
        switch error {
        case .typeMismatch(_, let context), .valueNotFound(_, let context):
            return "field \(path(context)) has the wrong type or is null: \(context.debugDescription)"
        case .keyNotFound(let key, _):
            return "required field \(key.stringValue) is missing"
        case .dataCorrupted(let context):
            return context.codingPath.isEmpty ? "the body is not valid JSON" : "field \(path(context)) is invalid"
        @unknown default:
            return "the body does not match the expected JSON"
        }
    }

    private static func path(_ context: DecodingError.Context) -> String {
        context.codingPath.map(\.stringValue).joined(separator: ".")
    }
}
