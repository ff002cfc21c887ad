import CallPipeCore
import Configuration
import Pipeline
import Testing

@testable import Gateway

@Suite("Crash and disk limits from the environment", .timeLimit(.minutes(3)))
struct DurabilityConfigurationTests {
    static func reader(_ values: [AbsoluteConfigKey: ConfigValue]) -> ConfigReader {
        ConfigReader(provider: InMemoryProvider(values: values))
    }

    @Test func defaultsToThreeCrashesTwoWorkersAnd256MBInReserve() throws {
        let workers = try PipelineWorkerConfiguration(reader: Self.reader([:]))
        #expect(workers.maxCrashes == 3 && workers.concurrency == 2)
        let gateway = try GatewayConfiguration(reader: Self.reader([:]))
        #expect(gateway.storage.minimumFreeBytes == 256 << 20 && gateway.uploads.minimumFreeBytes == 256 << 20)
    }

    @Test func readsTheCrashLimitTheWorkersAndTheReserve() throws {
        let workers = try PipelineWorkerConfiguration(
            reader: Self.reader(["callpipe.job.max.crashes": "20", "callpipe.workers": "0"]))
        #expect(workers.maxCrashes == 20 && workers.concurrency == 0)
        let gateway = try GatewayConfiguration(reader: Self.reader(["callpipe.min.free.mb": "0"]))
        #expect(gateway.uploads.minimumFreeBytes == 0)
    }

    @Test(arguments: ["0", "21", "-1", "three", "1e9"])
    func refusesACrashLimitOutsideOneToTwenty(_ value: String) {
        let error = #expect(throws: CallPipeError.self) {
            try PipelineWorkerConfiguration(
                reader: Self.reader(["callpipe.job.max.crashes": .init(stringLiteral: value)]))
        }
        #expect(error?.message.contains("CALLPIPE_JOB_MAX_CRASHES") == true)
        #expect(error?.message.contains("from 1 to 20") == true)
    }

    @Test(arguments: ["65", "-2", "lots"])
    func refusesAWorkerCountOutsideZeroToSixtyFour(_ value: String) {
        let error = #expect(throws: CallPipeError.self) {
            try PipelineWorkerConfiguration(reader: Self.reader(["callpipe.workers": .init(stringLiteral: value)]))
        }
        #expect(error?.message.contains("CALLPIPE_WORKERS") == true && error?.message.contains("0 to 64") == true)
    }

    @Test(arguments: ["-1", "1048577", "9223372036854775807", "half"])
    func refusesAReserveOutsideZeroToOneTebibyte(_ value: String) {
        let error = #expect(throws: CallPipeError.self) {
            try GatewayConfiguration(reader: Self.reader(["callpipe.min.free.mb": .init(stringLiteral: value)]))
        }
        #expect(error?.message.contains("CALLPIPE_MIN_FREE_MB") == true)
        #expect(error?.message.contains("from 0 to 1048576") == true)
    }
}
