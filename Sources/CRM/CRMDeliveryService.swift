import AIClients
package import CallPipeCore
package import Foundation
package import Logging
import ServiceLifecycle

/// Sends the CRM outbox, as a long-lived `Service`.
///
/// `concurrency` loops claim due deliveries (with a lease, so a crash loses none), read the call
/// from the store and hand it to the target's adapter. Transient failures (429, 5xx, timeouts)
/// back off exponentially with jitter, honouring `Retry-After`; after `maxAttempts` — or at once
/// for a refusal no retry can fix (400, 404, 422) — the delivery is dead-lettered with the
/// vendor's message. A 401/403 pauses the whole target: its deliveries wait, an `alert` goes to
/// the call's room, and an admin resumes it once the credentials are fixed. Every change is
/// published as `crm_delivery`.
package struct CRMDeliveryService: Service {
    package var outbox: any CRMOutbox
    package var directory: CRMTargetDirectory
    package var http: CRMHTTPClient
    package var configuration: CRMConfiguration
    package var events: CallEventBus?
    package var logger: Logger
    /// The time of claims, leases and retries: the wall clock, unless a test moves its own.
    package var now: @Sendable () -> Date = { Date() }

    package init(
        outbox: any CRMOutbox, directory: CRMTargetDirectory, http: CRMHTTPClient, configuration: CRMConfiguration,
        events: CallEventBus? = nil, logger: Logger
    ) {
        self.outbox = outbox
        self.directory = directory
        self.http = http
        self.configuration = configuration
        self.events = events
        self.logger = logger
    }

    package func run() async throws {
        // Shutting down: deliveries in flight keep their lease and are sent again after it.
        try await ClaimLoops.run(
            concurrency: configuration.concurrency, pollInterval: configuration.pollInterval, logger: logger,
            storeTrouble: "CRM delivery cannot reach the store"
        ) { try await sendNext() }
    }

    /// Claims and sends one delivery; `false` when none was due (or the targets are not known yet).
    @discardableResult
    package func sendNext() async throws -> Bool {
        guard let adapters = await directory.current else { return false }
        guard let delivery = try await outbox.claimDelivery(now: now(), lease: configuration.claimLease) else {
            return false
        }
        let metadata: Logger.Metadata = [
            "call.id": "\(delivery.callID)", "crm.target": "\(delivery.target)", "crm.delivery": "\(delivery.id)",
            "crm.attempt": "\(delivery.attempts)",
        ]
        guard let adapter = adapters[delivery.target] else {
            let failed = try await outbox.failDelivery(
                delivery, error: "the target \(delivery.target) is no longer configured (CALLPIPE_CRM_TARGETS)",
                status: nil, retryAt: nil, now: now())
            await publish(failed)
            return true
        }
        do {
            guard let record = try await outbox.deliveryRecord(callID: delivery.callID) else {
                throw CRMError(.deliveryRejected, "call \(delivery.callID) has no summary to deliver")
            }
            var client = http
            client.extraHeaders = adapter.target.headers
            let remoteID = try await adapter.deliver(record, idempotencyKey: delivery.idempotencyKey, via: client)
            let done = try await outbox.completeDelivery(delivery, remoteID: remoteID, status: nil, now: now())
            logger.debug("CRM delivery sent", metadata: metadata)
            await publish(done)
        } catch let error as CallPipeError where error.code == .conflict {
            logger.info("CRM delivery result dropped: the delivery was claimed again", metadata: metadata)
        } catch let error as CRMError where error.code == .deliveryUnauthorized {
            try await outbox.pauseTarget(delivery.target, reason: error.message, now: now())
            try await outbox.releaseDelivery(delivery, error: error.message, status: error.httpStatus, now: now())
            logger.error(
                "CRM target paused: its credentials were refused",
                metadata: metadata.merging(["error": "\(error.message)"]) { $1 })
            if let current = try await outbox.delivery(id: delivery.id) { await publish(current) }
            await events?.publish(
                "alert", callID: delivery.callID,
                data: CallEventPayloads.CRMTargetPaused(target: delivery.target, message: error.message))
        } catch {
            // Shutting down: the attempt was cut short, not failed; its lease lets it go again.
            if Task.isCancelled { throw CancellationError() }
            let failure = error as? CRMError
            let storageDown = (error as? CallPipeError)?.code == .storage
            let retryable = failure?.code == .deliveryUnavailable || storageDown
            let retry = retryable && delivery.finishedAttempts < configuration.maxAttempts
            let message = failure?.message ?? (error as? CallPipeError)?.message ?? String(describing: error)
            let retryAt =
                retry
                ? now().addingTimeInterval(
                    Self.retryDelay(
                        attempt: delivery.finishedAttempts, retryAfter: failure?.retryAfter,
                        configuration: configuration))
                : nil
            let failed: CRMDelivery
            do {
                failed = try await outbox.failDelivery(
                    delivery, error: message, status: failure?.httpStatus, retryAt: retryAt, now: now())
            } catch let error as CallPipeError where error.code == .conflict {
                logger.info("CRM delivery result dropped: the delivery was claimed again", metadata: metadata)
                return true
            }
            logger.log(
                level: retry ? .info : .warning,
                retry ? "CRM delivery failed, will retry" : "CRM delivery dead-lettered",
                metadata: metadata.merging(["error": "\(message)"]) { $1 })
            await publish(failed)
        }
        return true
    }

    /// Seconds before attempt `attempt + 1`: `Retry-After` when the CRM gave one (at most
    /// `maxDelay`), else `baseDelay · 2^(attempt−1)` capped at `maxDelay`, of which a random half
    /// (so retries of many deliveries spread out instead of arriving together).
    package static func retryDelay(attempt: Int, retryAfter: Double?, configuration: CRMConfiguration) -> Double {
        if let retryAfter { return min(configuration.maxDelay, retryAfter) }
        return Backoff(baseDelay: configuration.baseDelay, maxDelay: configuration.maxDelay, jitter: 0.5)
            .delay(afterAttempt: attempt)
    }

    private func publish(_ delivery: CRMDelivery) async {
        await events?.publish(
            "crm_delivery", callID: delivery.callID, data: CallEventPayloads.CRMDeliveryUpdate(delivery))
    }
}
