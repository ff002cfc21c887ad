import ArgumentParser
import Foundation

/// A network namespace for the load generator (`--netns`): its streams reach the server over a
/// veth pair, through the kernel's routing and a second network stack as from another host, not
/// over loopback. Made with iproute2 (root), removed (with its veth) when the benchmark ends.
struct LiveBenchNamespace {
    let name = "callpipe-bench"
    /// The server's side of the pair (in the benchmark's own namespace): what the generator dials.
    let hostAddress = "10.77.0.1"
    let generatorAddress = "10.77.0.2"

    static func create() throws -> LiveBenchNamespace {
        let namespace = LiveBenchNamespace()
        namespace.remove()
        let steps: [[String]] = [
            ["netns", "add", namespace.name],
            ["link", "add", "cpbench0", "type", "veth", "peer", "name", "cpbench1"],
            ["link", "set", "cpbench1", "netns", namespace.name],
            ["addr", "add", "\(namespace.hostAddress)/24", "dev", "cpbench0"],
            ["link", "set", "cpbench0", "up"],
            [
                "netns", "exec", namespace.name, "ip", "addr", "add", "\(namespace.generatorAddress)/24", "dev",
                "cpbench1",
            ],
            ["netns", "exec", namespace.name, "ip", "link", "set", "cpbench1", "up"],
            ["netns", "exec", namespace.name, "ip", "link", "set", "lo", "up"],
        ]
        for step in steps {
            guard Self.ip(step) == 0 else {
                namespace.remove()
                throw ValidationError("`ip \(step.joined(separator: " "))` failed: --netns needs root and iproute2")
            }
        }
        return namespace
    }

    func remove() {
        _ = Self.ip(["netns", "del", name])
        _ = Self.ip(["link", "del", "cpbench0"])
    }

    @discardableResult
    private static func ip(_ arguments: [String]) -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/sbin/ip")
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return -1 }
        process.waitUntilExit()
        return process.terminationStatus
    }
}
