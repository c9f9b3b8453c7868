using System.Diagnostics;
using System.Formats.Asn1;
using System.Security.Cryptography;

namespace HealthBlock.Crypto.Tests;

public class KeyFileIterationTests
{
    [Fact]
    public void A_key_file_asking_for_an_absurd_pbkdf2_count_is_refused_before_any_derivation()
    {
        using var key = IdentityKey.Generate();
        var text = KeyFile.Export(key, "doctor", "pass", iterations: 1000);
        var crafted = WithIterations(text, int.MaxValue);

        var clock = Stopwatch.StartNew();
        var e = Assert.Throws<CryptoException>(() => KeyFile.Import(crafted, "pass"));

        Assert.Equal(CryptoError.KeyFile, e.Error);
        Assert.Contains("iterations", e.Message, StringComparison.Ordinal);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), "the refusal must not derive first");
    }

    [Fact]
    public void The_cap_allows_the_default_and_ten_times_it()
    {
        Assert.Equal(10 * KeyFile.DefaultIterations, KeyFile.MaxIterations);
        using var key = IdentityKey.Generate();
        var text = WithIterations(KeyFile.Export(key, "doctor", "pass", iterations: 1000), 1000);
        using var back = KeyFile.Import(text, "pass");
        Assert.Equal(key.Id, back.Id);
    }

    /// <summary>Rewrites every PKCS#8 block's PBKDF2 iteration count (the ciphertext stays as it was).</summary>
    private static string WithIterations(string keyFile, int iterations)
    {
        var output = new System.Text.StringBuilder();
        var rest = keyFile;
        while (PemEncoding.TryFind(rest, out var fields))
        {
            output.Append(rest[..fields.Location.Start]);
            var der = Convert.FromBase64String(rest[fields.Base64Data]);
            output.Append(PemEncoding.WriteString("ENCRYPTED PRIVATE KEY", Rewrite(der, iterations)));
            rest = rest[fields.Location.End..];
        }

        return output.Append(rest).ToString();
    }

    private static byte[] Rewrite(byte[] der, int iterations)
    {
        var info = new AsnReader(der, AsnEncodingRules.DER).ReadSequence();
        var algorithm = info.ReadSequence();
        var pbes2 = algorithm.ReadObjectIdentifier();
        var pbes2Params = algorithm.ReadSequence();
        var kdf = pbes2Params.ReadSequence();
        var kdfOid = kdf.ReadObjectIdentifier();
        var kdfParams = kdf.ReadSequence();
        var salt = kdfParams.ReadOctetString();
        kdfParams.ReadInteger();
        var kdfRest = kdfParams.ReadEncodedValue().ToArray();
        var encryptionScheme = pbes2Params.ReadEncodedValue().ToArray();
        var encrypted = info.ReadOctetString();

        var w = new AsnWriter(AsnEncodingRules.DER);
        using (w.PushSequence())
        {
            using (w.PushSequence())
            {
                w.WriteObjectIdentifier(pbes2);
                using (w.PushSequence())
                {
                    using (w.PushSequence())
                    {
                        w.WriteObjectIdentifier(kdfOid);
                        using (w.PushSequence())
                        {
                            w.WriteOctetString(salt);
                            w.WriteInteger(iterations);
                            w.WriteEncodedValue(kdfRest);
                        }
                    }

                    w.WriteEncodedValue(encryptionScheme);
                }
            }

            w.WriteOctetString(encrypted);
        }

        return w.Encode();
    }
}
