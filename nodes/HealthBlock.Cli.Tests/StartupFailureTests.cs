using System.Net;
using System.Net.Sockets;
using HealthBlock.Crypto;
using HealthBlock.Devnet;
using HealthBlock.Hosting;
using HealthBlock.Paillier;
using HealthBlock.Statistics;

namespace HealthBlock.Cli.Tests;

/// <summary>Every start-up mistake of a role ends in one line naming what failed, with exit code 2 (no stack trace).</summary>
public sealed class StartupFailureTests : IDisposable
{
    private const string NodePassphrase = "node passphrase";
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    private static CliRunner Cli => new CliRunner().WithEnvironment(KeyFile.PassphraseVariable, NodePassphrase).WithEnvironment("HEALTHBLOCK_ADMIN_PASSPHRASE", "admin passphrase");

    private string Network(string name)
    {
        var init = Cli.Run("accounting", "init", "--out", _temp.Sub(name), "--nodes", "1");
        Assert.True(init.ExitCode == 0, init.Error);
        return _temp.Sub(name);
    }

    private static string OneLine(CliResult result)
    {
        Assert.Equal(2, result.ExitCode);
        var lines = result.Error.Trim().Split('\n');
        Assert.Single(lines);
        Assert.StartsWith("healthblock: ", lines[0], StringComparison.Ordinal);
        return lines[0]["healthblock: ".Length..];
    }

    private CliResult Accounting(string network, params string[] extra) => Cli.Run(
        ["accounting", "--data", _temp.Sub("node"), "--genesis", Path.Combine(network, "genesis.json"), "--key", Path.Combine(network, "nodes/node-1.key"), .. extra]);

    [Fact]
    public void A_raft_port_in_use_is_named()
    {
        var network = Network("net");
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var raft = $"127.0.0.1:{((IPEndPoint)taken.LocalEndpoint).Port}";

        var line = OneLine(Accounting(network, "--listen", "http://127.0.0.1:0", "--raft", raft, "--peers", raft));

        Assert.Equal($"--raft: address {raft} is already in use (another process listens there)", line);
    }

    [Fact]
    public void A_startup_verification_other_than_tail_or_full_is_refused()
    {
        var line = OneLine(Accounting(Network("net"), "--listen", "http://127.0.0.1:0", "--startup-verification", "sideways"));

        Assert.Equal("--startup-verification 'sideways' is not tail or full", line);
    }

    [Theory]
    [InlineData("gateway|--live|--iot-period-s|0", "--iot-period-s must be at least 1 (got 0)")]
    [InlineData("gateway|--live|--live-broker|http://broker:1883", "--live-broker 'http://broker:1883' is not mqtts://host:port")]
    [InlineData("gateway|--live-broker|mqtt://broker:1883", "--live-broker needs --live on the gateway")]
    [InlineData("gateway|--live|--live-broker|mqtt://broker:1883", "--live-broker mqtt://broker:1883 is plaintext: use mqtts://host:port with --live-broker-ca FILE or opt out with --live-broker-plaintext")]
    [InlineData("doctor|--live-broker|mqtt://broker:1883", "--live-broker mqtt://broker:1883 is plaintext: use mqtts://host:port with --live-broker-ca FILE or opt out with --live-broker-plaintext")]
    [InlineData("doctor|--live-broker|mqtts://broker:8883", "--live-broker mqtts://broker:8883 needs --live-broker-ca FILE, the CA its certificate must chain to")]
    [InlineData("doctor|--live-broker|mqtts://broker:8883|--live-broker-plaintext", "--live-broker mqtts://broker:8883 is TLS (mqtts://) but --live-broker-plaintext was given: drop one")]
    [InlineData("doctor|--live-broker|mqtt://broker", "--live-broker 'mqtt://broker' is not mqtts://host:port")]
    [InlineData("doctor|--live-broker|mqtt://broker:1883|--live-broker-plaintext|--summary-period-s|-5", "--summary-period-s must be at least 1 (got -5)")]
    public void Bad_live_path_options_of_the_gateway_and_the_doctor_are_refused_before_anything_starts(string args, string expected)
    {
        var parts = args.Split('|');
        var line = OneLine(Cli.Run([parts[0], "--data", _temp.Sub(parts[0]), "--ledger", "http://127.0.0.1:9", "--store", _temp.Sub("store"), .. parts[1..]]));

        Assert.Equal(expected, line);
        Assert.False(Directory.Exists(_temp.Sub(parts[0])) && Directory.EnumerateFileSystemEntries(_temp.Sub(parts[0])).Any(), "nothing was created");
    }

    [Fact]
    public void A_listen_url_without_scheme_is_refused_before_anything_starts()
    {
        var line = OneLine(Accounting(Network("net"), "--listen", "127.0.0.1:18097"));

        Assert.Equal("--listen '127.0.0.1:18097' has no scheme: write http://127.0.0.1:18097", line);
    }

    [Fact]
    public void A_node_key_of_another_network_is_not_in_the_genesis()
    {
        var network = Network("net");
        var other = Network("other");

        var line = OneLine(Cli.Run("accounting", "--data", _temp.Sub("node"), "--listen", "http://127.0.0.1:0", "--genesis", Path.Combine(network, "genesis.json"), "--key", Path.Combine(other, "nodes/node-1.key")));

        Assert.StartsWith($"--key {Path.Combine(other, "nodes/node-1.key")}: node ", line, StringComparison.Ordinal);
        Assert.Contains("is not an accounting node of the genesis", line, StringComparison.Ordinal);
    }

    [Fact]
    public void A_genesis_that_is_not_json_is_named()
    {
        var network = Network("net");
        File.WriteAllText(Path.Combine(network, "genesis.json"), "garbage");

        var line = OneLine(Accounting(network, "--listen", "http://127.0.0.1:0"));

        Assert.StartsWith($"--genesis {Path.Combine(network, "genesis.json")}: The genesis is not valid JSON", line, StringComparison.Ordinal);
    }

    [Fact]
    public void A_second_accounting_node_on_a_data_folder_in_use_names_the_holders_pid()
    {
        var network = Network("net");
        using var held = DataFolderLock.Take(_temp.Sub("node"), "accounting");

        var line = OneLine(Accounting(network, "--listen", "http://127.0.0.1:0"));

        Assert.Contains($"accounting already running as pid {Environment.ProcessId}", line, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_settings_file_and_a_missing_required_setting_are_named()
    {
        var missing = OneLine(Cli.Run("doctor", "--config", _temp.Sub("nowhere.json")));
        File.WriteAllText(_temp.Sub("doctor.json"), """{ "Doctor": { "Data": "x" } }""");
        var noLedger = OneLine(Cli.Run("doctor", "--config", _temp.Sub("doctor.json")));

        Assert.Equal($"--config '{_temp.Sub("nowhere.json")}' does not exist", missing);
        Assert.Equal("missing --ledger: give it on the command line, as Doctor:Ledger in --config, or as HEALTHBLOCK__Doctor__Ledger", noLedger);
    }

    [Fact]
    public void A_second_doctor_on_a_data_folder_in_use_names_the_holders_pid()
    {
        using var held = DataFolderLock.Take(_temp.Sub("doctor"), "doctor");

        var line = OneLine(Cli.Run("doctor", "--data", _temp.Sub("doctor"), "--ledger", "http://127.0.0.1:1", "--store", _temp.Sub("store")));

        Assert.Contains($"doctor already running as pid {Environment.ProcessId}", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_gateway_mqtt_port_in_use_is_named()
    {
        await using var cluster = await LocalCluster.StartAsync(1, new LocalClusterOptions { RootDirectory = _temp.Sub("ledger") });
        var ledger = await cluster.WaitForLeaderAsync(TimeSpan.FromSeconds(30));
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var port = ((IPEndPoint)taken.LocalEndpoint).Port;
        Directory.CreateDirectory(_temp.Sub("gateway"));
        Assert.Equal(0, Cli.Run("keygen", "--role", "patient", "--out", _temp.Sub("gateway/patient.key")).ExitCode);
        using (var patient = KeyFile.Read(_temp.Sub("gateway/patient.key"), NodePassphrase))
        {
            await TestNetwork.RegisterPatientAsync(ledger, cluster.Admin, patient.Public);
        }

        var result = await Task.Run(() => Cli.Run("gateway", "--data", _temp.Sub("gateway"), "--ledger", ledger.HttpUrl.ToString(), "--store", _temp.Sub("store"), "--mqtt-listen", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--mqtt-bind", "127.0.0.1", "--no-gpio"));

        Assert.Equal($"--mqtt-listen: address 127.0.0.1:{port} is already in use (another process listens there)", OneLine(result));
    }

    [Fact]
    public void A_statistics_node_without_a_passphrase_from_a_file_the_environment_or_a_terminal_does_not_start()
    {
        using var statistics = IdentityKey.Generate();
        var data = StatisticsData(statistics);

        var line = OneLine(new CliRunner().Run("stats", "serve", "--data", data, "--ledger", "https://127.0.0.1:1"));

        Assert.Equal("no passphrase: set HEALTHBLOCK_PASSPHRASE, pass the passphrase file option, or run in a terminal to be asked", line);
        Assert.False(File.Exists(Path.Combine(data, PaillierKeyFile.FileName)));
    }

    [Fact]
    public void A_statistics_node_refuses_a_paillier_key_sealed_to_another_identity_with_the_passphrase_read_from_its_file()
    {
        using var statistics = IdentityKey.Generate();
        using var other = IdentityKey.Generate();
        var data = StatisticsData(statistics);
        var sealedPath = Path.Combine(data, PaillierKeyFile.FileName);
        File.WriteAllBytes(sealedPath, PaillierKeyFile.Seal(PaillierPrivateKey.Generate(2048), other));
        File.WriteAllText(_temp.Sub("passphrase"), NodePassphrase + "\n");

        var line = OneLine(new CliRunner().WithEnvironment(KeyFile.PassphraseVariable, "not the passphrase")
            .Run("stats", "serve", "--data", data, "--ledger", "https://127.0.0.1:1", "--passphrase-file", _temp.Sub("passphrase")));

        Assert.Equal($"'{sealedPath}': The Paillier key is not sealed to statistics identity {statistics.Id} (or was altered).", line);
    }

    /// <summary>A statistics node's data folder holding the identity's key file (encrypted under the node passphrase).</summary>
    private string StatisticsData(IdentityKey identity)
    {
        var data = _temp.Sub("stats");
        Directory.CreateDirectory(data);
        KeyFile.Write(Path.Combine(data, Commands.StatsCommand.IdentityFileName), identity, "statistics", NodePassphrase, iterations: 10_000);
        return data;
    }

    [Fact]
    public void A_plaintext_external_broker_without_the_opt_out_is_one_line_and_exit_2()
    {
        var line = OneLine(Cli.Run("gateway", "--data", _temp.Sub("gateway"), "--ledger", "http://127.0.0.1:9", "--store", _temp.Sub("store"), "--mqtt", "mqtt://127.0.0.1:1883", "--no-gpio"));

        Assert.Equal("--mqtt mqtt://127.0.0.1:1883 is plaintext (readings readable on the network): use mqtts://host:port (Mosquitto with TLS, docs/deployment.md) or opt out with --mqtt-plaintext", line);
    }
}
