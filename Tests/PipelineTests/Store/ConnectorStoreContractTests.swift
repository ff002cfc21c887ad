import AIClients
import Foundation
import Testing

@testable import Analytics
@testable import CallPipeCore

/// The connectors' tables (docs/connectors.md) give the same answers on every backend: imported
/// calls unique by vendor + id and updated in place, a page and the run's cursor stored together,
/// one running sync per connector, one node per schedule firing, settings and archives.
@Suite("Store contract: connectors", .timeLimit(.minutes(3)))
struct ConnectorStoreContractTests {
    static let now = Date(timeIntervalSince1970: 1_795_000_000)

    static func imported(_ id: String, audio: Bool = false, minutes: Double = 0, name: String = "Ann") -> ImportedCall {
        ImportedCall(
            vendor: "dialpad", vendorID: id, direction: "inbound", status: .completed, agentID: "501", agentName: name,
            customerPhone: "+14155550100", startedAt: now + minutes * 60, durationS: 90,
            recordingURL: audio ? URL(string: "https://dialpad.com/r/\(id)") : nil)
    }

    static func run(_ kind: ConnectorKind = .dialpad) -> SyncRun {
        SyncRun(
            kind: kind, trigger: .manual, window: now - 86_400..<now, startedAt: now, holder: "a", leaseUntil: now + 60)
    }

    @Test(arguments: StoreBackend.allCases)
    func importsEachVendorCallOnceAndUpdatesItInPlace(_ backend: StoreBackend) async throws {
        try await backend.withStore { store in
            let run = Self.run()
            #expect(try await store.startSyncRun(run).started)
            let first = try await store.commitSyncPage(
                SyncPage(
                    runID: run.id, nextCursor: "c2", calls: [Self.imported("1"), Self.imported("2", audio: true)],
                    failed: 1, requests: 3, leaseUntil: Self.now + 120), now: Self.now)
            #expect(first == SyncPage.Result(new: 2))
            // The same calls again (a page read twice after a crash), one of them changed at the vendor.
            let again = try await store.commitSyncPage(
                SyncPage(
                    runID: run.id, nextCursor: nil,
                    calls: [Self.imported("1", name: "Ann Lee"), Self.imported("2", audio: true)],
                    requests: 1, leaseUntil: Self.now + 120), now: Self.now + 1)
            #expect(again == SyncPage.Result(updated: 1, unchanged: 1))
            let calls = try await store.history(.init(filter: .init(source: "dialpad")))
            #expect(calls.total == 2)
            #expect(Set(calls.calls.map(\.agentID)) == ["dialpad:501"])
            let one = try #require(calls.calls.first { $0.metadata["vendor_id"] == "1" })
            #expect(one.metadata["agent_name"] == "Ann Lee" && one.status == .done && one.source == "dialpad")
            #expect(calls.calls.first { $0.metadata["vendor_id"] == "2" }?.status == .ended)
            #expect(try await store.history(.init(filter: .init(source: "callpipe"))).total == 0)
            let stored = try #require(try await store.syncRun(id: run.id))
            #expect(stored.pages == 2 && stored.requests == 4 && stored.callsNew == 2 && stored.callsUpdated == 1)
            #expect(stored.callsFailed == 1 && stored.cursor == nil && stored.status == .running)
            // Only the recorded call waits for its audio; once attached, the pipeline has it.
            let waiting = try await store.importedCallsAwaitingAudio(vendor: "dialpad", limit: 10)
            #expect(waiting.map(\.call.vendorID) == ["2"])
            let callID = try #require(waiting.first?.callID)
            let recording = StoredRecording(
                id: waiting[0].call.recordingID, callID: callID, path: "/r.wav", bytes: 10, contentType: "audio/wav",
                format: "wav", codec: "pcm_s16le", createdAt: Self.now)
            // Attached twice (a resumed run importing it again): one recording, one job.
            try await store.attachImportedAudio(recording, vendor: "dialpad", vendorID: "2", now: Self.now)
            try await store.attachImportedAudio(recording, vendor: "dialpad", vendorID: "2", now: Self.now)
            #expect(try await store.importedCallsAwaitingAudio(vendor: "dialpad", limit: 10).isEmpty)
            #expect(try await store.recordings(callID: callID).count == 1)
            #expect(try await store.jobs(callID: callID).map(\.stage) == [.analyze])
            let finished = try await store.finishSyncRun(
                id: run.id, status: .succeeded, error: nil, requests: 2, now: Self.now + 5)
            #expect(finished.status == .succeeded && finished.requests == 6 && finished.finishedAt == Self.now + 5)
            // A finished run takes no more pages.
            await #expect(throws: CallPipeError.self) {
                try await store.commitSyncPage(
                    SyncPage(runID: run.id, nextCursor: nil, calls: [], requests: 0, leaseUntil: Self.now),
                    now: Self.now)
            }
            let period = Self.now - 60..<Self.now + 60
            #expect(
                try await store.importedCalls(vendor: "dialpad", in: period).map(\.vendorID).sorted() == ["1", "2"])
            #expect(try await store.importedCalls(vendor: "elevenlabs", in: period).isEmpty)
        }
    }

    /// The KPIs and agent activity the stores count in SQL equal those of the sessions and calls
    /// counted one by one.
    @Test(arguments: StoreBackend.allCases)
    func countsKPIsAndAgentActivityAsTheCallsThemselvesGive(_ backend: StoreBackend) async throws {
        try await backend.withStore { store in
            let outcomes: [VoiceBotSession.Outcome] = [.success, .failure, .unknown]
            var calls: [ImportedCall] = []
            for index in 0..<60 {
                let started = Self.now + Double(index) * 5_000  // Over about three and a half days.
                var bot = ImportedCall(
                    vendor: "elevenlabs", vendorID: "conv_\(index)", direction: index % 3 == 0 ? "outbound" : "inbound",
                    status: index % 11 == 0 ? .missed : .completed, agentID: "agent_a", agentName: "Bot",
                    startedAt: started, durationS: Double(index * 7 % 400))
                bot.session = VoiceBotSession(
                    id: bot.vendorID, startedAt: started, durationS: bot.durationS, direction: bot.direction,
                    outcome: outcomes[index % 3], technicalError: index % 11 == 0, transferredToHuman: index % 7 == 0,
                    droppedOut: index % 5 == 1, botMessages: index % 9, cost: index % 4 == 0 ? nil : Double(index * 10),
                    rating: index % 6 == 0 ? Double(index % 5 + 1) : (index % 13 == 0 ? 0 : nil),
                    criteria: index % 8 == 0
                        ? [:] : ["resolved": outcomes[index % 2], "polite": outcomes[(index + 1) % 3]])
                calls.append(bot)
                calls.append(
                    ImportedCall(
                        vendor: "dialpad", vendorID: "\(index)", direction: index % 2 == 0 ? "inbound" : "outbound",
                        status: index % 4 == 0 ? .missed : .completed, agentID: "50\(index % 3)",
                        agentName: "Agent \(index % 3)", agentEmail: "a\(index % 3)@example.com",
                        startedAt: started + 60, durationS: index % 4 == 0 ? 0 : Double(index * 13 % 600)))
            }
            for kind in [ConnectorKind.dialpad, .elevenlabs] {
                let run = Self.run(kind)
                _ = try await store.startSyncRun(run)
                _ = try await store.commitSyncPage(
                    SyncPage(
                        runID: run.id, nextCursor: nil, calls: calls.filter { $0.vendor == kind.rawValue },
                        requests: 1, leaseUntil: Self.now), now: Self.now)
            }
            let period = Self.now - 1..<Self.now + 86_400 * 5
            let counted = VoiceBotKPIs(groups: try await store.voiceBotGroups(in: period))
            #expect(counted == VoiceBotKPIs(sessions: calls.compactMap(\.session)))
            #expect(counted.sessions == 60 && counted.daily.count >= 3 && counted.criteria.count == 2)
            #expect(
                AgentActivity(groups: try await store.agentActivityGroups(vendor: nil, in: period))
                    == AgentActivity(calls: calls))
            let dialpad = AgentActivity(groups: try await store.agentActivityGroups(vendor: "dialpad", in: period))
            #expect(dialpad == AgentActivity(calls: calls.filter { $0.vendor == "dialpad" }))
            #expect(dialpad.agents.count == 3 && dialpad.total.missed == 15)
            // Whole UTC days (a month's query): read by the day column alone, the same calls.
            let secondDay = Date(timeIntervalSince1970: Double(Self.now.utcDayNumber + 1) * 86_400)
            let twoDays = secondDay..<secondDay + 2 * 86_400
            let inTwoDays = calls.filter { twoDays.contains($0.startedAt) }
            #expect(inTwoDays.count > 10 && inTwoDays.count < calls.count - 10)
            #expect(
                VoiceBotKPIs(groups: try await store.voiceBotGroups(in: twoDays))
                    == VoiceBotKPIs(sessions: inTwoDays.compactMap(\.session)))
            #expect(
                AgentActivity(groups: try await store.agentActivityGroups(vendor: nil, in: twoDays))
                    == AgentActivity(calls: inTwoDays))
        }
    }

    @Test(arguments: StoreBackend.allCases)
    func givingUpOnAudioEndsTheCallWithoutARecording(_ backend: StoreBackend) async throws {
        try await backend.withStore { store in
            let run = Self.run()
            _ = try await store.startSyncRun(run)
            _ = try await store.commitSyncPage(
                SyncPage(
                    runID: run.id, nextCursor: nil, calls: [Self.imported("9", audio: true)], requests: 1,
                    leaseUntil: Self.now), now: Self.now)
            try await store.markImportedAudio(vendor: "dialpad", vendorID: "9", failure: "not audio", now: Self.now)
            let call = try #require(try await store.history(.init(filter: .init(source: "dialpad"))).calls.first)
            #expect(call.status == .done)
            #expect(try await store.importedCallsAwaitingAudio(vendor: "dialpad", limit: 10).isEmpty)
        }
    }

    @Test(arguments: StoreBackend.allCases)
    func runsOneSyncPerConnectorAndResumesAnAbandonedOne(_ backend: StoreBackend) async throws {
        try await backend.withStore { store in
            let first = Self.run()
            #expect(try await store.startSyncRun(first).started)
            let second = try await store.startSyncRun(Self.run())
            #expect(!second.started && second.run.id == first.id)
            #expect(try await store.startSyncRun(Self.run(.elevenlabs)).started)
            // Its node holds it until the lease ends; then another node takes it over, once.
            #expect(
                try await store.claimAbandonedSyncRun(holder: "b", now: Self.now + 30, leaseUntil: Self.now + 90) == nil
            )
            let taken = try #require(
                try await store.claimAbandonedSyncRun(holder: "b", now: Self.now + 61, leaseUntil: Self.now + 181))
            #expect(taken.holder == "b" && taken.leaseUntil == Self.now + 181)
            let other = try #require(
                try await store.claimAbandonedSyncRun(holder: "c", now: Self.now + 61, leaseUntil: Self.now + 181))
            #expect(other.id != taken.id)
            #expect(
                try await store.claimAbandonedSyncRun(holder: "c", now: Self.now + 62, leaseUntil: Self.now + 90) == nil
            )
            try await store.finishSyncRun(id: first.id, status: .failed, error: "boom", requests: 0, now: Self.now + 70)
            #expect(try await store.startSyncRun(Self.run()).started)
            let log = try await store.syncRuns(kind: .dialpad, limit: 10)
            #expect(log.count == 2 && log.contains { $0.error == "boom" && $0.status == .failed })
            #expect(try await store.syncRuns(kind: nil, limit: 10).count == 3)
        }
    }

    @Test(arguments: StoreBackend.allCases)
    func firesEachScheduleOnceAcrossNodes(_ backend: StoreBackend) async throws {
        try await backend.withStore { store async throws in
            #expect(try await store.lastScheduleFire(name: "sync:dialpad") == nil)
            #expect(
                try await store.claimScheduleFire(name: "sync:dialpad", fire: Self.now, holder: "a", now: Self.now)
                    == true)
            #expect(
                try await store.claimScheduleFire(name: "sync:dialpad", fire: Self.now, holder: "b", now: Self.now)
                    == false)
            #expect(
                try await store.claimScheduleFire(name: "sync:dialpad", fire: Self.now - 60, holder: "b", now: Self.now)
                    == false)
            #expect(
                try await store.claimScheduleFire(
                    name: "sync:dialpad", fire: Self.now + 86_400, holder: "b", now: Self.now) == true)
            #expect(try await store.lastScheduleFire(name: "sync:dialpad") == Self.now + 86_400)
            #expect(
                try await store.claimScheduleFire(name: "archive:monthly", fire: Self.now, holder: "a", now: Self.now)
                    == true)
        }
    }

    @Test(arguments: StoreBackend.allCases)
    func keepsSettingsArchivesVendorTranscriptsAndSessions(_ backend: StoreBackend) async throws {
        try await backend.withStore { store in
            #expect(try await store.connectorSettings(.dialpad) == nil)
            var settings = ConnectorSettings(
                kind: .dialpad, enabled: true, sealedAPIKey: "v1:abc", apiKeyMask: "dp_…abcd", targetID: "77",
                updatedAt: Self.now)
            try await store.saveConnectorSettings(settings)
            #expect(try await store.connectorSettings(.dialpad) == settings)
            settings.pausedReason = "401"
            try await store.saveConnectorSettings(settings)
            #expect(try await store.connectorSettings(.dialpad)?.pausedReason == "401")
            let archive = StoredArchive(
                month: "2026-11", fileName: "calls-2026-11.csv", location: "/a.csv", calls: 3, bytes: 10, sha256: "ab",
                createdAt: Self.now)
            try await store.saveArchive(archive)
            var replaced = archive
            replaced.calls = 4
            try await store.saveArchive(replaced)
            try await store.saveArchive(
                StoredArchive(
                    month: "2026-10", fileName: "calls-2026-10.csv", location: "/b.csv", calls: 1, bytes: 5,
                    sha256: "cd",
                    createdAt: Self.now))
            #expect(try await store.archives().map(\.month) == ["2026-11", "2026-10"])
            #expect(try await store.archives().first?.calls == 4)
            // A voice bot's conversation: its transcript and session come back for the pipeline and the KPIs.
            var bot = Self.imported("conv_1")
            bot.vendor = "elevenlabs"
            bot.transcript = Transcript(segments: [.init(speaker: "agent", startS: 0, endS: 2, text: "Hello")])
            bot.session = VoiceBotSession(
                id: "conv_1", startedAt: Self.now, durationS: 90, direction: "inbound", outcome: .success,
                botMessages: 1)
            let run = Self.run(.elevenlabs)
            _ = try await store.startSyncRun(run)
            _ = try await store.commitSyncPage(
                SyncPage(runID: run.id, nextCursor: nil, calls: [bot], requests: 1, leaseUntil: Self.now), now: Self.now
            )
            let call = try #require(try await store.history(.init(filter: .init(source: "elevenlabs"))).calls.first)
            #expect(call.metadata["transcript_source"] == "elevenlabs")
            #expect(try await store.vendorTranscript(callID: call.id) == bot.transcript)
            #expect(try await store.voiceBotSessions(in: Self.now - 1..<Self.now + 1) == [bot.session!])
        }
    }
}
