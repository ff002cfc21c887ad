import ArgumentParser
import Foundation
import Hummingbird
import Logging
import MockCRM

/// `callpipe mock-crm [--port P] [--host H]`: a stand-alone mock Salesforce / Zendesk / HubSpot
/// and webhook receiver, printing the `CALLPIPE_CRM_TARGETS` that point a server at it.
struct MockCRMCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mock-crm", abstract: "Run the mock Salesforce/Zendesk/HubSpot server (and a webhook receiver).")

    @Option(help: "Port to listen on.")
    var port = 8089

    @Option(help: "Address to listen on.")
    var host = "127.0.0.1"

    @Option(help: "Salesforce bearer token it accepts.")
    var salesforceToken = "mock-salesforce-token"

    @Option(help: "Zendesk API token it accepts (with --zendesk-email).")
    var zendeskToken = "mock-zendesk-token"

    @Option(help: "Zendesk agent e-mail.")
    var zendeskEmail = "agent@callpipe.example"

    @Option(help: "HubSpot private-app token it accepts.")
    var hubspotToken = "mock-hubspot-token"

    @Option(help: "Webhook signing secret it verifies.")
    var webhookSecret = "mock-webhook-secret"

    @Option(help: "Fraction of requests (0-1) that fail with a 500, 429 or timeout, for retry tests.")
    var failRate = 0.0

    func run() async throws {
        let credentials = MockCRMCredentials(
            salesforceToken: salesforceToken, zendeskEmail: zendeskEmail, zendeskToken: zendeskToken,
            hubspotToken: hubspotToken, webhookSecret: webhookSecret)
        let mock = MockCRM(credentials: credentials)
        if failRate > 0 {
            await mock.state.setFailures(
                next: 0, modes: [.serverError, .tooManyRequests, .timeout], rate: failRate, delay: 30)
        }
        let router = Router()
        mock.register(on: router)
        let host = host
        let application = Application(
            router: router, configuration: .init(address: .hostname(host, port: port), serverName: "CallPipe-MockCRM"),
            onServerRunning: { channel in
                let port = channel.localAddress?.port ?? 0
                let base = "http://\(host):\(port)/_mock"
                FileHandle.standardOutput.write(
                    Data(
                        """
                        Mock CRM listening on \(host):\(port) (requests: GET \(base)/requests, records: GET \(base)/objects)
                        CALLPIPE_CRM_TARGETS='\(credentials.targetsJSON(baseURL: base))'

                        """.utf8))
            }, logger: Logger(label: "mock-crm"))
        try await application.runService()
    }
}
