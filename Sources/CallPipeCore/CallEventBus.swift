package import Foundation

/// Fan-out of call events to room subscribers (WebSocket clients), per call and for the floor.
///
/// Every subscriber has a bounded buffer that keeps the newest events: a slow client loses old
/// interim updates, and one that falls `maxDropped` events behind is disconnected; neither slows
/// the others nor grows memory. The bus remembers each call's latest state (status, processing,
/// summary, insights, recent transcript lines) so a late joiner sees it first.
package actor CallEventBus {
    /// A subscriber's handle: its id (for joining rooms) and its events.
    package struct Subscription: Sendable {
        package let id: UUID
        package let events: AsyncStream<CallEvent>
    }

    private struct Subscriber {
        var continuation: AsyncStream<CallEvent>.Continuation
        var calls: Set<String> = []
        var floor = false
        var dropped = 0
    }

    private let bufferSize: Int
    private let maxDropped: Int
    private let retainedCalls: Int
    private var subscribers: [UUID: Subscriber] = [:]
    private var sequences: [String: Int] = [:]
    private var state: [String: [CallEvent]] = [:]
    private var recentCalls: [String] = []

    /// Where this node's events also go, to reach the other nodes' buses (a relay over the shared
    /// database, docs/ARCHITECTURE.md §15); `nil` on a single node.
    private var forward: (@Sendable (CallEvent) -> Void)?

    package init(bufferSize: Int = 256, maxDropped: Int = 1_024, retainedCalls: Int = 2_000) {
        self.bufferSize = bufferSize
        self.maxDropped = maxDropped
        self.retainedCalls = retainedCalls
    }

    /// Publishes an event of `type` for `callID` to its room and the floor.
    @discardableResult
    package func publish(_ type: String, callID: String, data: some Encodable, at: Date = Date()) -> CallEvent {
        let seq = (sequences[callID] ?? 0) + 1
        sequences[callID] = seq
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        let event = CallEvent(
            type: type, callID: callID, seq: seq, at: at, data: (try? encoder.encode(data)) ?? Data("{}".utf8))
        remember(event)
        for (id, subscriber) in subscribers where subscriber.floor || subscriber.calls.contains(callID) {
            deliver(event, to: id)
        }
        forward?(event)
        return event
    }

    /// Sends every event published here to `forward` as well (once, at start).
    package func forward(to forward: @escaping @Sendable (CallEvent) -> Void) {
        self.forward = forward
    }

    /// An event another node published: delivered and remembered as if published here, not
    /// forwarded again. The call's sequence continues after the highest number seen from any node.
    package func receive(_ event: CallEvent) {
        sequences[event.callID] = max(sequences[event.callID] ?? 0, event.seq)
        remember(event)
        for (id, subscriber) in subscribers where subscriber.floor || subscriber.calls.contains(event.callID) {
            deliver(event, to: id)
        }
    }

    package func subscribe() -> Subscription {
        let (stream, continuation) = AsyncStream.makeStream(
            of: CallEvent.self, bufferingPolicy: .bufferingNewest(bufferSize))
        let id = UUID()
        subscribers[id] = Subscriber(continuation: continuation)
        return Subscription(id: id, events: stream)
    }

    /// Joins a call's room and sends its current state first.
    package func join(_ id: UUID, callID: String) {
        guard subscribers[id] != nil else { return }
        subscribers[id]?.calls.insert(callID)
        for event in state[callID] ?? [] { deliver(event, to: id) }
    }

    /// Joins the floor: every call's events, and the latest status of each known call first.
    package func joinFloor(_ id: UUID) {
        guard subscribers[id] != nil else { return }
        subscribers[id]?.floor = true
        for call in recentCalls {
            if let status = state[call]?.last(where: { $0.type == "call_status" }) { deliver(status, to: id) }
        }
    }

    package func leave(_ id: UUID, callID: String) {
        subscribers[id]?.calls.remove(callID)
    }

    /// Sends `callID`'s current state to one subscriber again (`request_session_status`).
    package func resend(_ id: UUID, callID: String) {
        for event in state[callID] ?? [] { deliver(event, to: id) }
    }

    package func unsubscribe(_ id: UUID) {
        subscribers.removeValue(forKey: id)?.continuation.finish()
    }

    package var subscriberCount: Int { subscribers.count }

    private func deliver(_ event: CallEvent, to id: UUID) {
        guard let subscriber = subscribers[id] else { return }
        if case .dropped = subscriber.continuation.yield(event) {
            subscribers[id]?.dropped += 1
            if subscriber.dropped + 1 >= maxDropped { unsubscribe(id) }  // Too far behind: disconnect.
        }
    }

    /// Keeps the latest event of each type per call (and the last 200 transcript lines), for
    /// late joiners; forgets the oldest calls beyond `retainedCalls`.
    private func remember(_ event: CallEvent) {
        var events = state[event.callID] ?? []
        if event.type == "transcript_update" {
            events.append(event)
            let lines = events.filter { $0.type == "transcript_update" }
            if lines.count > 200, let oldest = lines.first { events.removeAll { $0 == oldest } }
        } else {
            events.removeAll { $0.type == event.type }
            events.append(event)
        }
        if state[event.callID] == nil {
            recentCalls.append(event.callID)
            if recentCalls.count > retainedCalls {
                let forgotten = recentCalls.removeFirst()
                state.removeValue(forKey: forgotten)
                sequences.removeValue(forKey: forgotten)
            }
        }
        state[event.callID] = events.sorted { $0.seq < $1.seq }
    }
}
