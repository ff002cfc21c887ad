import Configuration
import MockCRM
import Pipeline

/// Where `serve` delivers: the configured `CALLPIPE_CRM_TARGETS`, or — when none are set — the
/// mock CRM mounted in-process under `/_mock` (with fresh credentials), so a new install shows
/// deliveries happening. `CALLPIPE_CRM_MOCK=false` turns the mock off (no deliveries at all).
struct CRMSetup {
    let targets: [CRMTarget]
    let directory: CRMTargetDirectory
    let mock: MockCRM?
    private let credentials: MockCRMCredentials?
    private let host: String

    init(configuration: CRMConfiguration, reader: ConfigReader, host: String, port: Int) {
        self.host = ["0.0.0.0", "::", ""].contains(host) ? "127.0.0.1" : host
        if let configured = configuration.targets {
            targets = configured
            directory = CRMTargetDirectory(targets: configured)
            mock = nil
            credentials = nil
        } else if reader.bool(forKey: "callpipe.crm.mock", default: true) {
            let credentials = MockCRMCredentials.random()
            self.credentials = credentials
            mock = MockCRM(credentials: credentials)
            targets = credentials.targets(baseURL: "http://\(self.host):\(port)/_mock")
            // The port is known once the server listens (port 0 picks one): until then deliveries wait.
            directory = CRMTargetDirectory(targets: nil)
        } else {
            targets = []
            directory = CRMTargetDirectory(targets: [])
            mock = nil
            credentials = nil
        }
    }

    func serverRunning(port: Int) async {
        guard let credentials else { return }
        await directory.set(credentials.targets(baseURL: "http://\(host):\(port)/_mock"))
    }
}
