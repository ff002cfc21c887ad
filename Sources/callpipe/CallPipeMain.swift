import AIClients
import ArgumentParser
import Audio
import CRM
import CallPipeCore
import Foundation
import Logging

/// Entry point: parse, run, and turn failures into docs/ARCHITECTURE.md §3's exit codes and `error:` lines.
@main
enum CallPipeMain {
    static func main() async {
        let command: any ParsableCommand
        do {
            command = try CallPipe.parseAsRoot()
        } catch {
            // Help and version requests print and exit 0; every other parse failure is a usage
            // error, exit code 2 (ArgumentParser's own default would be 64).
            if CallPipe.exitCode(for: error) == .success { CallPipe.exit(withError: error) }
            FileHandle.standardError.write(Data((CallPipe.fullMessage(for: error) + "\n").utf8))
            exit(2)
        }
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = Logger.Level(environmentValue: ProcessInfo.processInfo.environment["LOG_LEVEL"])
            return handler
        }
        do {
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                var syncCommand = command
                try syncCommand.run()
            }
        } catch let error as AudioError {
            fail(error.description, code: error.isInputError ? 3 : 1)
        } catch let error as AIClientError {
            fail(error.message, code: error.code == .configuration ? 2 : 4)
        } catch let error as CallPipeError {
            fail(error.message, code: 1)
        } catch let error as CRMError {
            fail(error.message, code: 1)
        } catch let error as CommandFailure {
            fail(error.message, code: error.exitCode)
        } catch {
            // `--help` parses into ArgumentParser's help command, which "fails" with success.
            if CallPipe.exitCode(for: error) == .success { CallPipe.exit(withError: error) }
            fail(String(describing: error), code: 1)
        }
    }

    private static func fail(_ message: String, code: Int32) -> Never {
        FileHandle.standardError.write(Data("error: \(message)\n".utf8))
        exit(code)
    }
}

extension Logger.Level {
    /// `LOG_LEVEL` as swift-log names levels; `info` when unset or unknown.
    init(environmentValue: String?) {
        self = environmentValue.flatMap { Logger.Level(rawValue: $0.lowercased()) } ?? .info
    }
}
