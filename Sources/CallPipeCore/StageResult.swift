/// A stage's output and what its AI requests used.
package struct StageResult: Sendable, Equatable {
    package var output: StageOutput
    package var usage: StageUsage?

    package init(_ output: StageOutput, usage: StageUsage? = nil) {
        self.output = output
        self.usage = usage
    }
}
