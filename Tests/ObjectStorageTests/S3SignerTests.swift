import Foundation
import ObjectStorage
import Testing

@Suite("Signature V4 for S3")
struct S3SignerTests {
    let signer = S3Signer(
        accessKeyID: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
        region: "us-east-1")

    /// AWS's own example in the S3 Signature V4 documentation ("GET Object" with a Range header).
    @Test func signsAWSsDocumentedGetObjectExample() {
        let headers = signer.sign(
            method: "GET", host: "examplebucket.s3.amazonaws.com", path: "/test.txt",
            headers: [("range", "bytes=0-9")], payloadHash: S3Signer.emptyPayloadHash,
            date: Date(timeIntervalSince1970: 1_369_353_600))
        let authorization = headers.first { $0.0 == "Authorization" }?.1
        #expect(
            authorization
                == "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41"
        )
        #expect(headers.contains { $0 == ("x-amz-date", "20130524T000000Z") })
    }

    /// A part upload with an encoded path, a port and a query value needing encoding; the
    /// expected signature is what botocore's S3SigV4Auth computes for the same request.
    @Test func signsAPartUploadAsBotocoreDoes() {
        let signer = S3Signer(
            accessKeyID: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
            region: "eu-west-1")
        let headers = signer.sign(
            method: "PUT", host: "127.0.0.1:5000", path: "/my-bucket/pre fix/call_1/rec.wav",
            query: [("uploadId", "abc/def"), ("partNumber", "2")], headers: [("Content-Type", "audio/wav")],
            payloadHash: "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824",
            date: Date(timeIntervalSince1970: 1_796_560_245))
        #expect(
            headers.first { $0.0 == "Authorization" }?.1
                == "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20261206/eu-west-1/s3/aws4_request, SignedHeaders=content-type;host;x-amz-content-sha256;x-amz-date, Signature=6b066da24c870d012e46690148ad808c152a4b1dff6e72da71d75b6d37a97bcb"
        )
    }

    @Test func encodesEverythingButUnreservedCharacters() {
        #expect(S3Signer.encode("a b/c~d_e.f-g+h=") == "a%20b%2Fc~d_e.f-g%2Bh%3D")
        #expect(S3Signer.encodePath("/bucket/a b/ü") == "/bucket/a%20b/%C3%BC")
        #expect(S3Signer.canonicalQuery([("uploads", ""), ("b", "2"), ("a", "1")]) == "a=1&b=2&uploads=")
    }
}
