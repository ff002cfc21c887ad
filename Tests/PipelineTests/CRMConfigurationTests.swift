import Foundation
import Testing

@testable import CRM
@testable import CallPipeCore

@Suite("CRM targets from CALLPIPE_CRM_TARGETS", .timeLimit(.minutes(3)))
struct CRMConfigurationTests {
    @Test func parsesEveryKindAndNamesRepeatedKinds() throws {
        let targets = try CRMConfiguration.parseTargets(
            """
            [{"kind": "salesforce", "url": "https://acme.my.salesforce.com", "token": "sf"},
             {"kind": "zendesk", "url": "https://acme.zendesk.com", "token": "zd", "email": "a@acme.com"},
             {"kind": "hubspot", "url": "https://api.hubapi.com", "token": "hs"},
             {"kind": "webhook", "url": "https://hooks.example.com/a", "secret": "s1"},
             {"kind": "webhook", "url": "https://hooks.example.com/b", "secret": "s2"},
             {"kind": "webhook", "url": "http://10.0.0.5:9000/in", "secret": "s3", "name": "warehouse"}]
            """)
        #expect(targets.map(\.id) == ["salesforce", "zendesk", "hubspot", "webhook", "webhook-2", "warehouse"])
        #expect(targets[1].email == "a@acme.com")
        #expect(!targets[0].description.contains("sf\""))
    }

    @Test(
        arguments: [
            ("not json", "not a JSON array"),
            (#"[{"kind": "pipedrive", "url": "https://x.com", "token": "t"}]"#, "kind must be one of"),
            (#"[{"kind": "salesforce", "url": "acme.my.salesforce.com", "token": "t"}]"#, "url must be an http(s) URL"),
            (#"[{"kind": "salesforce", "url": "ftp://acme.com", "token": "t"}]"#, "url must be an http(s) URL"),
            (#"[{"kind": "hubspot", "url": "https://api.hubapi.com"}]"#, "token is required"),
            (#"[{"kind": "zendesk", "url": "https://a.zendesk.com", "token": "t"}]"#, "email"),
            (#"[{"kind": "webhook", "url": "https://h.example.com"}]"#, "secret is required"),
            (
                #"[{"kind": "webhook", "url": "https://a.com", "secret": "s", "name": "x"}, {"kind": "hubspot", "url": "https://b.com", "token": "t", "name": "x"}]"#,
                "unique name"
            ),
        ])
    func refusesAMisconfiguredTargetAtStartNamingWhatToFix(_ text: String, _ reason: String) {
        #expect {
            _ = try CRMConfiguration.parseTargets(text)
        } throws: { error in
            guard let error = error as? CRMError else { return false }
            return error.code == .invalid && error.message.contains(reason) && !error.message.contains("\"t\"")
        }
    }

    @Test func masksSecretsWhereverATargetIsPrinted() {
        let target = CRMTarget(
            id: "hubspot", kind: .hubspot, url: URL(string: "https://api.hubapi.com")!,
            token: "pat-na1-0123456789abcdef")
        #expect(!target.description.contains("0123456789"))
        #expect(target.description.contains("…ef (24 chars)"))
        #expect(CRMTarget.mask("short") == "*** (5 chars)")
        #expect(CRMTarget.mask(nil) == "none")
        let hook = CRMTarget(
            id: "hook", kind: .webhook, url: URL(string: "https://user:pw@hooks.example.com/in?sig=s3cr3t")!,
            secret: "whsec_x")
        #expect(hook.displayURL == "https://hooks.example.com/in?…")
        #expect(!hook.description.contains("s3cr3t") && !hook.description.contains("pw@"))
    }
}
