package import CRM
package import CallPipeCore
package import Foundation
package import Logging

/// What `callpipe serve` does about a previous process before it takes any request, and after a
/// graceful shutdown.
///
/// At start, whatever the previous process was doing when it died is taken up again: each job
/// left `running` and each CRM delivery left `sending` counts a crash and goes back in its queue —
/// or, at `maxCrashes`, is failed (the job's call with it) with the reason, so a recording that
/// kills the server cannot keep it from starting. Leftover partial upload files are deleted.
/// After a graceful shutdown, the work it cut short goes back in the queues without counting an
/// attempt: stopping the server is nobody's fault.
package struct RestartRecovery: Sendable {
    package var store: any JobQueue & CRMOutbox & CallRepository
    /// The recordings directory (`<data dir>/recordings`).
    package var recordingsDirectory: String
    /// `CALLPIPE_JOB_MAX_CRASHES`: deaths of the process a job or a delivery may be part of.
    package var maxCrashes: Int
    /// Where the failures are published, so a supervisor's room shows why the call failed.
    package var events: CallEventBus?
    package var logger: Logger

    package init(
        store: any JobQueue & CRMOutbox & CallRepository, recordingsDirectory: String, maxCrashes: Int,
        events: CallEventBus? = nil,
        logger: Logger
    ) {
        self.store = store
        self.recordingsDirectory = recordingsDirectory
        self.maxCrashes = maxCrashes
        self.events = events
        self.logger = logger
    }

    /// Requeues or fails the interrupted work and sweeps leftover files; run before serving.
    package func recover(now: Date = Date()) async throws {
        let jobs = try await store.requeueRunningJobs(now: now, maxCrashes: maxCrashes)
        if !jobs.requeued.isEmpty {
            logger.info("Resuming interrupted pipeline jobs", metadata: ["jobs": "\(jobs.requeued.count)"])
        }
        for job in jobs.abandoned {
            logger.error(
                "Pipeline job failed: the process died while running it too many times",
                metadata: [
                    "call.id": "\(job.callID)", "job.stage": "\(job.stage.rawValue)", "job.crashes": "\(job.crashes)",
                    "recording.id": "\(job.recordingID ?? "-")",
                ])
            await publishFailure(of: job)
        }
        let deliveries = try await store.requeueSendingDeliveries(now: now, maxCrashes: maxCrashes)
        if !deliveries.requeued.isEmpty {
            logger.info(
                "Resuming interrupted CRM deliveries", metadata: ["deliveries": "\(deliveries.requeued.count)"])
        }
        for delivery in deliveries.abandoned {
            logger.error(
                "CRM delivery dead-lettered: the process died while sending it too many times",
                metadata: [
                    "call.id": "\(delivery.callID)", "crm.target": "\(delivery.target)",
                    "crm.delivery": "\(delivery.id)", "crm.crashes": "\(delivery.crashes)",
                ])
            await events?.publish(
                "crm_delivery", callID: delivery.callID, data: CallEventPayloads.CRMDeliveryUpdate(delivery))
        }
        let swept = try await LeftoverFileSweep(directory: recordingsDirectory).run(store: store)
        if swept > 0 {
            logger.info("Deleted partial files left by an interrupted upload", metadata: ["files": "\(swept)"])
        }
    }

    /// Tells the call's room, as a worker would have: the stage failed, and so did the call.
    private func publishFailure(of job: PipelineJob) async {
        guard let events else { return }
        await events.publish(
            "audio_processing_status", callID: job.callID,
            data: CallEventPayloads.Processing(
                stage: job.stage.rawValue, state: "failed", recordingID: job.recordingID, attempt: job.attempts,
                error: job.lastError))
        guard let call = try? await store.call(id: job.callID) else { return }
        await events.publish(
            "call_status", callID: job.callID,
            data: CallEventPayloads.CallStatus(status: call.status.rawValue, failureReason: call.failureReason))
    }

    /// Puts back what a graceful shutdown cut short, without counting it as a crash or an attempt.
    package func releaseAfterShutdown(now: Date = Date()) async {
        do {
            let jobs = try await store.releaseRunningJobs(now: now)
            let deliveries = try await store.releaseSendingDeliveries(now: now)
            if jobs + deliveries > 0 {
                logger.info(
                    "Work cut short by the shutdown is queued again",
                    metadata: ["jobs": "\(jobs)", "deliveries": "\(deliveries)"])
            }
        } catch {
            // Then the next start counts them as crashes: one fewer try, nothing lost.
            logger.warning("Cannot queue again the work cut short by the shutdown", metadata: ["error": "\(error)"])
        }
    }
}
