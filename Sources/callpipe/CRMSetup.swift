import CRM
import Configuration
import Gateway
import MockCRM

/// Where `serve` delivers: the configured `CALLPIPE_CRM_TARGETS`, or — in dev mode when none are
/// set — the mock CRM mounted in-process under `/_mock` (fresh credentials, reachable only with
/// the admin key `adminKey`, which the mock's targets send as `X-CallPipe-Key`), so a new install
/// shows deliveries happening. Outside dev mode, or with `CALLPIPE_CRM_MOCK=false`, no targets
/// means no deliveries.
struct CRMSetup {
    let targets: [CRMTarget]
    let directory: CRMTargetDirectory
    let mock: MockCRM?
    private let credentials: MockCRMCredentials?
    private let adminKey: String?
    private let host: String

    init(configuration: CRMConfiguration, reader: ConfigReader, host: String, port: Int, devAdminKey: String?) {
        self.host = ["0.0.0.0", "::", ""].contains(host) ? "127.0.0.1" : host
        adminKey = devAdminKey
        if let configured = configuration.targets {
            targets = configured
            directory = CRMTargetDirectory(targets: configured)
            mock = nil
            credentials = nil
        } else if let devAdminKey, reader.bool(forKey: "callpipe.crm.mock", default: true) {
            let credentials = MockCRMCredentials.random()
            self.credentials = credentials
            mock = MockCRM(credentials: credentials)
            targets = Self.targets(credentials, base: "http://\(self.host):\(port)/_mock", adminKey: devAdminKey)
            // The port is known once the server listens (port 0 picks one): until then deliveries wait.
            directory = CRMTargetDirectory(targets: nil)
        } else {
            targets = []
            directory = CRMTargetDirectory(targets: [])
            mock = nil
            credentials = nil
        }
    }

    var adminRoutes: [any AdminRoutes] { mock.map { [MockCRMRoutes(mock: $0)] } ?? [] }

    func serverRunning(port: Int) async {
        guard let credentials, let adminKey else { return }
        await directory.set(Self.targets(credentials, base: "http://\(host):\(port)/_mock", adminKey: adminKey))
    }

    private static func targets(_ credentials: MockCRMCredentials, base: String, adminKey: String) -> [CRMTarget] {
        credentials.targets(baseURL: base).map { target in
            var target = target
            target.headers = ["X-CallPipe-Key": adminKey]
            return target
        }
    }
}
