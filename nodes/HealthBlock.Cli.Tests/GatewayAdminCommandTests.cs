using System.Net;
using HealthBlock.Crypto;
using HealthBlock.Gateway;
using HealthBlock.Ledger;
using HealthBlock.Protocol.Ledger;
using HealthBlock.Storage.Embedded;
using Microsoft.Extensions.Logging.Abstractions;

namespace HealthBlock.Cli.Tests;

/// <summary>
/// The <c>gateway</c> and <c>patient</c> commands against a RUNNING gateway: they go through its signed admin endpoint
/// (no --ledger needed, nothing written to its database behind its back).
/// </summary>
public sealed class GatewayAdminCommandTests : IAsyncLifetime
{
    private const string Passphrase = "patient pass";
    private readonly TempFolder _temp = new();
    private IdentityKey _admin = null!;
    private IdentityKey _node = null!;
    private InMemoryLedger _ledger = null!;
    private IdentityKey _patient = null!;
    private GatewayService _gateway = null!;
    private string _data = null!;

    private CliRunner Cli => new CliRunner().WithEnvironment(KeyFile.PassphraseVariable, Passphrase);

    public async Task InitializeAsync()
    {
        var (genesis, admin, nodes) = GenesisKeys.Generate(1);
        (_admin, _node) = (admin, nodes[0]);
        _ledger = new InMemoryLedger(genesis, _node);
        _data = _temp.Sub("gateway");
        Directory.CreateDirectory(_data);
        using (var fresh = IdentityKey.Generate())
        {
            KeyFile.Write(Path.Combine(_data, "patient.key"), fresh, "patient", Passphrase, iterations: 10_000);
        }

        _patient = KeyFile.Read(Path.Combine(_data, "patient.key"), Passphrase);
        await _ledger.SubmitAndWaitAsync(new TransactionSigner(_admin, genesis.NetworkId, await _ledger.GetNextNonceAsync(_admin.Id)).Sign(RegisterPayload.For(_patient.Public, Role.Patient, "patient")), TimeSpan.FromSeconds(30));
        _gateway = await GatewayService.StartAsync(
            new GatewayOptions { DataFolder = _data, MqttPort = 0, MqttBindAddress = IPAddress.Loopback, Gpio = null },
            _patient,
            _ledger,
            new EmbeddedContentStore(_temp.Sub("store")),
            NullLoggerFactory.Instance);
    }

    public async Task DisposeAsync()
    {
        await _gateway.DisposeAsync();
        _ledger.Dispose();
        _patient.Dispose();
        _admin.Dispose();
        _node.Dispose();
        _temp.Dispose();
    }

    [Fact]
    public async Task Pair_devices_unpair_and_replace_go_through_the_running_gateway()
    {
        var pair = await Task.Run(() => Cli.Run("gateway", "pair", "--data", _data, "--device", "00A1B2C3D4E5F601", "--broker", "127.0.0.1:1883"));
        Assert.True(pair.ExitCode == 0, pair.Error);
        Assert.StartsWith($"hbpair2;device=00a1b2c3d4e5f601;patient={_patient.Id};key=", pair.Out.Trim(), StringComparison.Ordinal);

        // The running gateway knows the device at once: the CLI asked it, it did not write behind its back.
        Assert.True(_gateway.Devices.TryGet(0x00a1b2c3d4e5f601, out var entry));
        Assert.Contains(Convert.ToHexStringLower(entry.Key), pair.Out, StringComparison.Ordinal);

        var again = await Task.Run(() => Cli.Run("gateway", "pair", "--data", _data, "--device", "00a1b2c3d4e5f601", "--broker", "127.0.0.1:1883"));
        Assert.Equal(2, again.ExitCode);
        Assert.Contains("already paired", again.Error, StringComparison.Ordinal);
        Assert.Contains("--replace", again.Error, StringComparison.Ordinal);

        var replaced = await Task.Run(() => Cli.Run("gateway", "pair", "--data", _data, "--device", "00a1b2c3d4e5f601", "--broker", "127.0.0.1:1883", "--replace"));
        Assert.True(replaced.ExitCode == 0, replaced.Error);
        Assert.True(_gateway.Devices.TryGet(0x00a1b2c3d4e5f601, out var second));
        Assert.Equal(2, second.Pairing);
        Assert.NotEqual(entry.Key, second.Key);

        var devices = await Task.Run(() => Cli.Run("gateway", "devices", "--data", _data));
        Assert.True(devices.ExitCode == 0, devices.Error);
        Assert.Contains("00a1b2c3d4e5f601  active", devices.Out, StringComparison.Ordinal);
        Assert.Contains("1 device(s)", devices.Out, StringComparison.Ordinal);

        var unpair = await Task.Run(() => Cli.Run("gateway", "unpair", "--data", _data, "--device", "00a1b2c3d4e5f601"));
        Assert.True(unpair.ExitCode == 0, unpair.Error);
        Assert.True(_gateway.Devices.TryGet(0x00a1b2c3d4e5f601, out var removed));
        Assert.Equal(Gateway.Devices.DeviceState.Removed, removed.State);
        var twice = await Task.Run(() => Cli.Run("gateway", "unpair", "--data", _data, "--device", "00a1b2c3d4e5f601"));
        Assert.Equal(2, twice.ExitCode);
        Assert.Contains("not paired", twice.Error, StringComparison.Ordinal);
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task Pair_with_out_writes_the_blob_to_a_new_owner_only_file_and_never_overwrites_one()
    {
        var file = Path.Combine(Path.GetDirectoryName(_data)!, "wearable.pairing");
        var pair = await Task.Run(() => Cli.Run("gateway", "pair", "--data", _data, "--device", "00a1b2c3d4e5f602", "--broker", "127.0.0.1:1883", "--out", file));
        Assert.True(pair.ExitCode == 0, pair.Error);
        Assert.Equal($"paired 00a1b2c3d4e5f602: provisioning blob in {file} (0600)", pair.Out.Trim());
        Assert.DoesNotContain("hbpair2", pair.Out, StringComparison.Ordinal);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
        Assert.True(_gateway.Devices.TryGet(0x00a1b2c3d4e5f602, out var entry));
        var blob = File.ReadAllText(file).Trim();
        Assert.StartsWith($"hbpair2;device=00a1b2c3d4e5f602;patient={_patient.Id};key=", blob, StringComparison.Ordinal);
        Assert.Contains(Convert.ToHexStringLower(entry.Key), blob, StringComparison.Ordinal);

        // An existing file is refused before anything is paired: the device keeps its key, the file its blob.
        var again = await Task.Run(() => Cli.Run("gateway", "pair", "--data", _data, "--device", "00a1b2c3d4e5f602", "--broker", "127.0.0.1:1883", "--replace", "--out", file));
        Assert.Equal((2, $"healthblock: --out {file} exists: a blob is never overwritten (remove it, or pair again with --replace into a new file)"), (again.ExitCode, again.Error.Trim()));
        Assert.True(_gateway.Devices.TryGet(0x00a1b2c3d4e5f602, out var still));
        Assert.Equal(entry.Key, still.Key);
        Assert.Equal(blob, File.ReadAllText(file).Trim());
    }

    [Fact]
    public async Task Parked_lists_the_parked_batches_and_drop_refuses_a_batch_that_is_not_parked()
    {
        // The listing and dropping themselves are tested on a real parked batch in the gateway's AtRestSealingTests.
        var list = await Task.Run(() => Cli.Run("gateway", "parked", "--data", _data));
        Assert.True(list.ExitCode == 0, list.Error);
        Assert.Equal(["batch  epoch  frames  held  parked (UTC)          reason", "0 parked batch(es)"], list.Out.TrimEnd().Split('\n'));

        var drop = await Task.Run(() => Cli.Run("gateway", "parked", "--data", _data, "--drop", "3"));
        Assert.Equal((2, "healthblock: batch 3 is not parked"), (drop.ExitCode, drop.Error.Trim()));
    }

    [Fact]
    public async Task Grant_pay_and_status_need_no_ledger_url_while_the_gateway_runs()
    {
        using var doctor = IdentityKey.Generate();
        var admin = new TransactionSigner(_admin, _ledger.Genesis.NetworkId, await _ledger.GetNextNonceAsync(_admin.Id));
        await _ledger.SubmitAndWaitAsync(admin.Sign(RegisterPayload.For(doctor.Public, Role.Doctor, "Dr. Running")), TimeSpan.FromSeconds(30));
        await _ledger.SubmitAndWaitAsync(admin.Sign(new IssuePayload(_patient.Id, 100)), TimeSpan.FromSeconds(30));

        var grant = await Task.Run(() => Cli.Run("patient", "grant", doctor.Id.ToString(), "--data", _data));
        Assert.True(grant.ExitCode == 0, grant.Error);
        var pay = await Task.Run(() => Cli.Run("patient", "pay", doctor.Id.ToString(), "25", "--data", _data));
        Assert.True(pay.ExitCode == 0, pay.Error);

        var status = await Task.Run(() => Cli.Run("patient", "status", "--data", _data));
        Assert.True(status.ExitCode == 0, status.Error);
        Assert.Contains("gateway:   running", status.Out, StringComparison.Ordinal);
        Assert.Contains($"doctors:   {doctor.Id}", status.Out, StringComparison.Ordinal);
        Assert.Contains("balance:   75 Healthcoin", status.Out, StringComparison.Ordinal);
        Assert.Contains($"credit:    {doctor.Id} 25", status.Out, StringComparison.Ordinal);
        Assert.Equal([doctor.Id], (await _ledger.GetPatientKeysAsync(_patient.Id))!.Doctors);

        var wrongKey = await Task.Run(() => new CliRunner().WithEnvironment(KeyFile.PassphraseVariable, "wrong").Run("patient", "status", "--data", _data));
        Assert.Equal(2, wrongKey.ExitCode);
    }

    [Fact]
    public async Task A_second_gateway_on_a_running_data_folder_is_refused_with_the_holders_pid()
    {
        var second = await Task.Run(() => Cli.Run("gateway", "--data", _data, "--ledger", "http://127.0.0.1:9", "--store", _temp.Sub("store2"), "--mqtt-listen", "0", "--no-gpio"));
        Assert.Equal(2, second.ExitCode);
        Assert.Equal($"healthblock: the gateway data folder {Path.GetFullPath(_data)} is in use: gateway already running as pid {Environment.ProcessId} (or a command works on it)\n", second.Error.ReplaceLineEndings("\n"));
    }
}
