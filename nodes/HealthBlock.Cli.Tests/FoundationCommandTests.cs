using System.Text.Json;
using HealthBlock.Crypto;
using HealthBlock.Protocol.Frames;

namespace HealthBlock.Cli.Tests;

public sealed class FoundationCommandTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Version_prints_the_assembly_version_from_the_real_executable()
    {
        var start = new System.Diagnostics.ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "healthblock.dll"), "--version"])
        {
            RedirectStandardOutput = true,
        };
        using var process = System.Diagnostics.Process.Start(start)!;
        var output = process.StandardOutput.ReadToEnd();
        Assert.True(process.WaitForExit(30_000));

        Assert.Equal(0, process.ExitCode);
        Assert.StartsWith("0.1.0", output.Trim(), StringComparison.Ordinal);
    }

    [Fact]
    public void Cid_prints_the_ipfs_cid_of_a_file()
    {
        File.WriteAllText(_temp.Sub("hello.txt"), "hello world");
        var result = new CliRunner().Run("cid", _temp.Sub("hello.txt"));

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("bafkreifzjut3te2nhyekklss27nh3k72ysco7y32koao5eei66wof36n5e", result.Out.Trim());
    }

    [Fact]
    public void Cid_of_a_missing_file_exits_2_with_one_line()
    {
        var result = new CliRunner().Run("cid", _temp.Sub("missing"));
        Assert.Equal(2, result.ExitCode);
        Assert.Single(result.Error.Trim().Split('\n'));
    }

    [Fact]
    public void Frame_decode_prints_json_and_verifies_with_a_key()
    {
        var key = DeviceMac.NewKey();
        var buffer = new byte[FrameLayout.MaxFrameSize];
        var length = FrameWriter.Write(buffer, 0, FrameLayout.KindEcg, 0, 0xabcdef, 9, 1_764_000_000_000, 250_000, [1, -2, 3], 0, 3, 4, new HmacFrameMac(key), 32);
        File.WriteAllBytes(_temp.Sub("frame.bin"), buffer[..length]);

        var result = new CliRunner().Run("frame", "decode", _temp.Sub("frame.bin"), "--key", Convert.ToHexString(key));

        Assert.Equal(0, result.ExitCode);
        using var json = JsonDocument.Parse(result.Out);
        Assert.Equal("ecg", json.RootElement.GetProperty("kind").GetString());
        Assert.Equal("0000000000abcdef", json.RootElement.GetProperty("device").GetString());
        Assert.Equal(9u, json.RootElement.GetProperty("sequence").GetUInt32());
        Assert.Equal([1, -2, 3], json.RootElement.GetProperty("samples").EnumerateArray().Select(e => e.GetInt32()));
        Assert.True(json.RootElement.GetProperty("mac_verified").GetBoolean());

        var wrongKey = new CliRunner().Run("frame", "decode", _temp.Sub("frame.bin"), "--key", Convert.ToHexString(DeviceMac.NewKey()));
        Assert.Equal(2, wrongKey.ExitCode);
        Assert.Contains("HMAC", wrongKey.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("01")]
    [InlineData("0201")]
    public void Frame_decode_of_invalid_input_exits_2_with_a_one_line_reason(string hex)
    {
        File.WriteAllBytes(_temp.Sub("bad.bin"), Convert.FromHexString(hex.PadRight(80, '0')));
        var result = new CliRunner().Run("frame", "decode", _temp.Sub("bad.bin"));

        Assert.Equal(2, result.ExitCode);
        Assert.Empty(result.Out);
        Assert.Single(result.Error.Trim().Split('\n'));
        Assert.StartsWith("healthblock: ", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Keygen_writes_an_encrypted_key_that_opens_with_the_passphrase()
    {
        var path = _temp.Sub("doctor.pem");
        var result = new CliRunner().WithEnvironment(KeyFile.PassphraseVariable, "s3cret enough").Run("keygen", "--role", "doctor", "--out", path);

        Assert.Equal(0, result.ExitCode);
        var text = File.ReadAllText(path);
        Assert.Equal("doctor", KeyFile.ReadRole(text));
        Assert.Contains("ENCRYPTED PRIVATE KEY", text, StringComparison.Ordinal);
        using var key = KeyFile.Read(path, "s3cret enough");
        Assert.Equal(result.Out.Trim(), key.Id.ToString());
    }

    [Fact]
    public void Keygen_reads_a_passphrase_file_and_refuses_to_overwrite()
    {
        File.WriteAllText(_temp.Sub("pass"), "from the file\n");
        var path = _temp.Sub("admin.pem");

        Assert.Equal(0, new CliRunner().Run("keygen", "--role", "admin", "--out", path, "--passphrase-file", _temp.Sub("pass")).ExitCode);
        using (KeyFile.Read(path, "from the file"))
        {
        }

        var again = new CliRunner().Run("keygen", "--role", "admin", "--out", path, "--passphrase-file", _temp.Sub("pass"));
        Assert.Equal(2, again.ExitCode);
        Assert.Contains("already exists", again.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Keygen_without_any_passphrase_source_or_with_a_bad_role_exits_2()
    {
        var noPassphrase = new CliRunner().Run("keygen", "--role", "patient", "--out", _temp.Sub("p.pem"));
        Assert.Equal(2, noPassphrase.ExitCode);
        Assert.Contains(KeyFile.PassphraseVariable, noPassphrase.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(_temp.Sub("p.pem")));

        var badRole = new CliRunner().WithEnvironment(KeyFile.PassphraseVariable, "long enough passphrase").Run("keygen", "--role", "king", "--out", _temp.Sub("k.pem"));
        Assert.Equal(2, badRole.ExitCode);
    }

    [Fact]
    public void A_new_key_under_a_passphrase_shorter_than_12_characters_is_refused_in_one_line()
    {
        var result = new CliRunner().WithEnvironment(KeyFile.PassphraseVariable, "elevenchars").Run("keygen", "--role", "doctor", "--out", _temp.Sub("short.key"));

        Assert.Equal(2, result.ExitCode);
        Assert.Equal("healthblock: the passphrase is 11 characters long: a new key needs at least 12", result.Error.Trim());
        Assert.False(File.Exists(_temp.Sub("short.key")));
    }

    [Theory]
    [InlineData("--from", "yesterday-ish")]
    [InlineData("--to", "12/34/5678 99:99")]
    public void An_export_window_that_is_not_an_ISO_time_is_refused_in_one_line(string option, string value)
    {
        var result = new CliRunner().Run("patient", "export", "--data", _temp.Sub("gw"), "--ledger", "http://127.0.0.1:1", "--store", _temp.Sub("store"), "--fhir", _temp.Sub("out.json"), option, value);

        Assert.Equal(2, result.ExitCode);
        Assert.Equal($"healthblock: {option} '{value}' is not an ISO 8601 time", result.Error.Trim());
        Assert.False(File.Exists(_temp.Sub("out.json")));
    }
}
