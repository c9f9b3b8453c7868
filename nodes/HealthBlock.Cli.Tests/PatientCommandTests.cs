using HealthBlock.Crypto;
using HealthBlock.Ledger;
using HealthBlock.Protocol.Ledger;

namespace HealthBlock.Cli.Tests;

/// <summary>The patient commands against an in-memory ledger (what they do is not about Raft or HTTP).</summary>
public sealed class PatientCommandTests : IDisposable
{
    private const string LedgerUrl = "http://ledger.invalid/";
    private readonly TempFolder _temp = new();
    private readonly IdentityKey _admin;
    private readonly IdentityKey _node;
    private readonly InMemoryLedger _ledger;

    public PatientCommandTests()
    {
        (var genesis, _admin, var nodes) = GenesisKeys.Generate(1);
        _node = nodes[0];
        _ledger = new InMemoryLedger(genesis, _node);
    }

    public void Dispose()
    {
        _ledger.Dispose();
        _admin.Dispose();
        _node.Dispose();
        _temp.Dispose();
    }

    private CliRunner Cli => new CliRunner().WithEnvironment(KeyFile.PassphraseVariable, "patient pass").WithLedger(_ledger);

    [Fact]
    public async Task Pair_grant_pay_status_and_revoke_work_against_a_data_folder_and_a_ledger()
    {
        var data = _temp.Sub("gateway");
        Directory.CreateDirectory(data);
        using (var patient = IdentityKey.Generate())
        {
            KeyFile.Write(Path.Combine(data, "patient.key"), patient, "patient", "patient pass", iterations: 10_000);
        }

        using var patientKey = KeyFile.Read(Path.Combine(data, "patient.key"), "patient pass");
        var admin = new TransactionSigner(_admin, _ledger.Genesis.NetworkId);
        using var doctor = IdentityKey.Generate();
        await _ledger.SubmitAndWaitAsync(admin.Sign(RegisterPayload.For(doctor.Public, Role.Doctor, "Dr. Cli")), TimeSpan.FromSeconds(30));
        await _ledger.SubmitAndWaitAsync(admin.Sign(RegisterPayload.For(patientKey.Public, Role.Patient, "patient")), TimeSpan.FromSeconds(30));
        await _ledger.SubmitAndWaitAsync(admin.Sign(new IssuePayload(patientKey.Id, 100)), TimeSpan.FromSeconds(30));
        var url = LedgerUrl;

        var pair = Cli.Run("gateway", "pair", "--data", data, "--device", "00A1B2C3D4E5F601", "--broker", "127.0.0.1:1883");
        Assert.Equal(0, pair.ExitCode);
        Assert.StartsWith($"hbpair2;device=00a1b2c3d4e5f601;patient={patientKey.Id};key=", pair.Out.Trim(), StringComparison.Ordinal);
        // TLS by default: the blob carries the device's broker login and the gateway's CA certificate.
        Assert.Contains($";broker=127.0.0.1:1883;topic=hb/{patientKey.Id}/00a1b2c3d4e5f601;transport=tls;user=00a1b2c3d4e5f601;pass=", pair.Out.Trim(), StringComparison.Ordinal);
        Assert.Contains(";ca=", pair.Out.Trim(), StringComparison.Ordinal);

        var grant = await Task.Run(() => Cli.Run("patient", "grant", doctor.Id.ToString(), "--data", data, "--ledger", url));
        Assert.True(grant.ExitCode == 0, grant.Error);
        var pay = await Task.Run(() => Cli.Run("patient", "pay", doctor.Id.ToString(), "30", "--data", data, "--ledger", url));
        Assert.True(pay.ExitCode == 0, pay.Error);

        var status = await Task.Run(() => Cli.Run("patient", "status", "--data", data, "--ledger", url));
        Assert.Equal(0, status.ExitCode);
        Assert.Contains("gateway:   stopped", status.Out, StringComparison.Ordinal);
        Assert.Contains($"doctors:   {doctor.Id}", status.Out, StringComparison.Ordinal);
        Assert.Contains("balance:   70 Healthcoin", status.Out, StringComparison.Ordinal);
        Assert.Contains($"credit:    {doctor.Id} 30", status.Out, StringComparison.Ordinal);

        var revoke = await Task.Run(() => Cli.Run("patient", "revoke", doctor.Id.ToString(), "--data", data, "--ledger", url));
        Assert.True(revoke.ExitCode == 0, revoke.Error);
        Assert.Empty((await _ledger.GetPatientKeysAsync(patientKey.Id))!.Doctors);

        var again = await Task.Run(() => Cli.Run("patient", "revoke", doctor.Id.ToString(), "--data", data, "--ledger", url));
        Assert.Equal(2, again.ExitCode);
        var noLedger = await Task.Run(() => Cli.Run("patient", "status", "--data", data));
        Assert.Equal(2, noLedger.ExitCode);
        Assert.Contains("--ledger", noLedger.Error, StringComparison.Ordinal);
        var overdraw = await Task.Run(() => Cli.Run("patient", "pay", doctor.Id.ToString(), "1000", "--data", data, "--ledger", url));
        Assert.Equal(2, overdraw.ExitCode);
        Assert.Contains("InsufficientBalance", overdraw.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Pair_refuses_a_bad_device_id_and_a_missing_key()
    {
        var data = _temp.Sub("empty");
        Assert.Equal(2, Cli.Run("gateway", "pair", "--data", data, "--device", "xyz").ExitCode);
        var noKey = Cli.Run("gateway", "pair", "--data", data, "--device", "0000000000000001");
        Assert.Equal(2, noKey.ExitCode);
        Assert.Contains("no patient key", noKey.Error, StringComparison.Ordinal);
    }
}
