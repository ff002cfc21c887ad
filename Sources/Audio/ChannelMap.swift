/// Which speaker each channel of a stereo recording carries (docs/ARCHITECTURE.md §2 `channel_map`).
package struct ChannelMap: Sendable, Equatable, Codable {
    /// The speaker of channel 0, 1, ...
    package var speakers: [Speaker]

    package init(_ speakers: [Speaker]) {
        self.speakers = speakers
    }

    /// Channel 0 (left) is the agent, channel 1 (right) the customer.
    package static let agentLeft = ChannelMap([.agent, .customer])

    /// The speaker of `channel`; channels beyond the map are `unknown`.
    package func speaker(ofChannel channel: Int) -> Speaker {
        channel < speakers.count ? speakers[channel] : .unknown
    }
}
