using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using HealthBlock.Crypto.Requests;

namespace HealthBlock.Crypto.Tests;

/// <summary>The signed-request scheme (message layout, domain separation) and its verifier (freshness, replay memory).</summary>
public sealed class SignedRequestTests
{
    private static readonly SignedRequestScheme Scheme = new("HB-TEST-1", "HB-Test", withCaller: true);

    [Fact]
    public void The_digest_is_SHA256_of_six_length_prefixed_fields_and_the_domain_separates_schemes()
    {
        var body = "{}"u8.ToArray();
        using var message = new MemoryStream();
        foreach (var field in new[] { "HB-TEST-1", "GET", "/v1/x?a=1", "1700000000000", new string('a', 32), Convert.ToHexStringLower(SHA256.HashData(body)) })
        {
            var bytes = Encoding.UTF8.GetBytes(field);
            var length = new byte[4];
            BinaryPrimitives.WriteUInt32BigEndian(length, (uint)bytes.Length);
            message.Write(length);
            message.Write(bytes);
        }

        Assert.Equal(SHA256.HashData(message.ToArray()), Scheme.Digest("get", "/v1/x?a=1", 1_700_000_000_000, new string('a', 32), body));
        Assert.NotEqual(Scheme.Digest("GET", "/", 1, "n", []), new SignedRequestScheme("HB-OTHER-1", "HB-Test", withCaller: true).Digest("GET", "/", 1, "n", []));
    }

    [Fact]
    public void The_headers_name_the_caller_and_verify_once_within_the_window_and_not_outside_it()
    {
        using var key = IdentityKey.Generate();
        var clock = new Clock(DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_000));
        var verifier = new SignedRequestVerifier(Scheme, clock) { FreshnessWindow = TimeSpan.FromMinutes(5) };
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        var headers = Scheme.Headers(key, "GET", "/v1/x", now - 299_000, []).ToDictionary(h => h.Key, h => h.Value);

        Assert.Equal(key.Id.ToString(), headers["HB-Test-Caller"]);
        Assert.Null(Check(verifier, key, "/v1/x", headers));
        Assert.Equal(SignedRequestFault.Replayed, Check(verifier, key, "/v1/x", headers)?.Fault);
        Assert.Equal(SignedRequestFault.BadSignature, Check(verifier, key, "/v1/y", Scheme.Headers(key, "GET", "/v1/x", now, []).ToDictionary(h => h.Key, h => h.Value))?.Fault);
        Assert.Equal(SignedRequestFault.Stale, Check(verifier, key, "/v1/x", Scheme.Headers(key, "GET", "/v1/x", now + 301_000, []).ToDictionary(h => h.Key, h => h.Value))?.Fault);
        Assert.Equal(SignedRequestFault.Unsigned, verifier.Check(key.Public, "GET", "/v1/x", null, null, null, [])?.Fault);
        Assert.Equal(SignedRequestFault.Malformed, verifier.Check(key.Public, "GET", "/v1/x", "soon", headers["HB-Test-Nonce"], headers["HB-Test-Signature"], [])?.Fault);
    }

    private static SignedRequestRefusal? Check(SignedRequestVerifier verifier, IdentityKey key, string path, Dictionary<string, string> headers) =>
        verifier.Check(key.Public, "GET", path, headers["HB-Test-Time"], headers["HB-Test-Nonce"], headers["HB-Test-Signature"], []);

    private sealed class Clock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
