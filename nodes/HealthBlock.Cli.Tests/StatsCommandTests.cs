using HealthBlock.Crypto;
using HealthBlock.Ledger;
using HealthBlock.Paillier;
using HealthBlock.Protocol.Ledger;
using HealthBlock.Statistics;
using Microsoft.Extensions.Logging.Abstractions;

namespace HealthBlock.Cli.Tests;

/// <summary>
/// The operator's statistics commands against a real accounting node over HTTP: keygen and register a statistics
/// identity, set its k, and ask a running statistics node for a cohort figure, refused below k.
/// </summary>
public sealed class StatsCommandTests : IAsyncLifetime
{
    private const string Passphrase = "owner passphrase";
    private const long T0 = 1_764_000_000_000;
    private readonly TempFolder _temp = new();
    private CliLedger _ledger = null!;

    public async Task InitializeAsync() => _ledger = await CliLedger.StartAsync(_temp);

    public async Task DisposeAsync()
    {
        await _ledger.DisposeAsync();
        _temp.Dispose();
    }

    private static CliRunner Cli => CliLedger.Cli(Passphrase);

    [Fact]
    public async Task An_operator_registers_a_statistics_identity_sets_k_and_asks_for_a_cohort_mean_heart_rate()
    {
        var url = _ledger.Url;
        var admin = _ledger.AdminKeyFile;
        var statisticsId = Cli.Run("keygen", "--role", "statistics", "--out", _temp.Sub("statistics.key")).Out.Trim();
        var doctorId = Cli.Run("keygen", "--role", "doctor", "--out", _temp.Sub("doctor.key")).Out.Trim();
        Assert.Equal(0, Cli.Run("identity", "export", _temp.Sub("statistics.key"), "--name", "ethics board", "--out", _temp.Sub("statistics.json")).ExitCode);
        Assert.Equal(0, Cli.Run("identity", "export", _temp.Sub("doctor.key"), "--name", "Dr. Cohort", "--out", _temp.Sub("doctor.json")).ExitCode);
        foreach (var export in new[] { "statistics.json", "doctor.json" })
        {
            var registered = await Task.Run(() => Cli.Run("admin", "register", "--identity", _temp.Sub(export), "--ledger", url, "--key", admin));
            Assert.True(registered.ExitCode == 0, registered.Error);
        }

        var policy = await Task.Run(() => Cli.Run("stats", "policy", "--statistics", statisticsId, "--k", "3", "--ledger", url, "--key", admin));
        Assert.True(policy.ExitCode == 0, policy.Error);
        Assert.StartsWith($"k=3 for {statisticsId} at userchain/", policy.Out, StringComparison.Ordinal);

        // The statistics node (what `healthblock stats serve --data DATA --ledger URL` runs) with that identity.
        using var statisticsKey = KeyFile.Read(_temp.Sub("statistics.key"), Passphrase);
        var paillier = PaillierPrivateKey.Generate(2048);
        var network = (await _ledger.Node.GetGenesisAsync()).NetworkId;
        var submitter = new LedgerSubmitter(statisticsKey, network, new MemoryNonceCounter(), _ledger.Node);
        await submitter.SyncNonceAsync();
        using var node = new StatisticsNode(paillier, submitter, _ledger.Node);
        await node.EnsureKeyPublishedAsync();
        await using var api = await StatisticsHttpApi.StartAsync(node, "http://127.0.0.1:0", NullLogger.Instance);

        var rr = new long[] { 800, 1_000, 750 };
        var patients = new List<string>();
        foreach (var interval in rr)
        {
            patients.Add(await ContributingPatientAsync(network, IdentityId.Parse(statisticsId), paillier.PublicKey, interval));
        }

        var from = DateTimeOffset.FromUnixTimeMilliseconds(T0).ToString("O");
        var to = DateTimeOffset.FromUnixTimeMilliseconds(T0 + 60_000).ToString("O");
        string[] ask = ["stats", "cohort", "--node", api.Url, "--ledger", url, "--statistics", statisticsId, "--key", _temp.Sub("doctor.key"), "--from", from, "--to", to];
        var cohort = await Task.Run(() => Cli.Run([.. ask, "--metric", "heart_rate"]));
        Assert.True(cohort.ExitCode == 0, cohort.Error);
        var expected = (60_000.0 * 6 / (2 * rr.Sum())).ToString("0.###", System.Globalization.CultureInfo.InvariantCulture);
        Assert.StartsWith($"heart_rate={expected} readings=6 patients=3 contributions=3 k=3 record=", cohort.Out, StringComparison.Ordinal);
        var record = Assert.Single((await _ledger.Node.GetTransactionsForAsync(IdentityId.Parse(doctorId), ChainId.Userchain, 0)).Select(t => t.Transaction.Body.Payload).OfType<StatisticsDecryptionPayload>());
        Assert.Equal(3, record.Patients.Count);

        // Two named patients are below k; an unknown metric and a malformed id are refused before anything is asked.
        var refused = await Task.Run(() => Cli.Run([.. ask, "--patients", string.Join(',', patients[..2])]));
        Assert.Equal(2, refused.ExitCode);
        Assert.Equal("healthblock: the statistics node refused: BelowK: A cohort of 2 patients is below k = 3.", refused.Error.Trim());
        var metric = Cli.Run([.. ask, "--metric", "salary"]);
        Assert.Equal((2, 1), (metric.ExitCode, metric.Error.Trim().Split('\n').Length));
        Assert.StartsWith("healthblock: --metric 'salary' is not one of:", metric.Error, StringComparison.Ordinal);
        var badId = Cli.Run([.. ask, "--patients", "nobody"]);
        Assert.Equal("healthblock: --patients 'nobody' is not an identity id (32 lowercase base32 characters)", badId.Error.Trim());

        // A patient opts in, then out, through its gateway's data folder (the gateway stopped): consent transactions it signs.
        var gatewayData = _temp.Sub("gateway");
        Directory.CreateDirectory(gatewayData);
        using var patientKey = IdentityKey.Generate();
        KeyFile.Write(Path.Combine(gatewayData, "patient.key"), patientKey, "patient", Passphrase, iterations: 10_000);
        await _ledger.RegisterAsync(patientKey.Public, Role.Patient, "consenting");
        var optIn = await Task.Run(() => Cli.Run("patient", "stats-consent", statisticsId, "--data", gatewayData, "--ledger", url));
        Assert.True(optIn.ExitCode == 0, optIn.Error);
        Assert.StartsWith("opted in; committed at ", optIn.Out, StringComparison.Ordinal);
        var optOut = await Task.Run(() => Cli.Run("patient", "stats-consent", statisticsId, "--opt-out", "--data", gatewayData, "--ledger", url));
        Assert.True(optOut.ExitCode == 0, optOut.Error);
        var consents = (await _ledger.Node.GetTransactionsForAsync(patientKey.Id, ChainId.Userchain, 0)).Select(t => t.Transaction.Body.Payload).OfType<StatisticsConsentPayload>().ToList();
        Assert.Equal([true, false], consents.Select(c => c.OptIn));
        Assert.All(consents, c => Assert.Equal(statisticsId, c.Statistics.ToString()));
        var notAnId = Cli.Run("patient", "stats-consent", "nobody", "--data", gatewayData, "--ledger", url);
        Assert.Equal((2, "healthblock: 'nobody' is not an identity id (32 lowercase base32 characters)"), (notAnId.ExitCode, notAnId.Error.Trim()));
    }

    [Fact]
    public void The_operator_commands_in_the_docs_are_the_ones_this_test_runs_and_the_cli_parses_each()
    {
        var doc = File.ReadAllText(RepositoryFiles.InRepository("docs", "paillier.md"));
        var section = doc[doc.IndexOf("### Operator commands", StringComparison.Ordinal)..];
        var block = section[(section.IndexOf("```", StringComparison.Ordinal) + 3)..];
        block = block[..block.IndexOf("```", StringComparison.Ordinal)].Replace("\\\n", " ", StringComparison.Ordinal);
        var commands = block.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(Tokens).ToList();

        Assert.Equal(
            ["keygen", "identity export", "admin register", "stats policy", "stats serve", "patient stats-consent", "stats cohort"],
            commands.Select(c => c[1] is "keygen" ? "keygen" : $"{c[1]} {c[2]}"));
        var context = new CliContext(TextWriter.Null, TextWriter.Null, _ => null, ReadSecret: null);
        foreach (var command in commands)
        {
            Assert.Equal("healthblock", command[0]);
            var parse = HealthBlockCommand.Create(context).Parse(command[1..]);
            Assert.True(parse.Errors.Count == 0, string.Join(' ', command) + ": " + string.Join("; ", parse.Errors.Select(e => e.Message)));
        }
    }

    /// <summary>Splits a documented command line into arguments (double quotes group words).</summary>
    private static string[] Tokens(string line) =>
        [.. System.Text.RegularExpressions.Regex.Matches(line, "\"([^\"]*)\"|(\\S+)").Select(m => m.Groups[1].Success ? m.Groups[1].Value : m.Groups[2].Value)];

    /// <summary>A patient registered, opted in at T0, who contributes one minute of two RR intervals of <paramref name="rrMs"/>.</summary>
    private async Task<string> ContributingPatientAsync(NetworkId network, IdentityId statistics, PaillierPublicKey key, long rrMs)
    {
        using var patient = IdentityKey.Generate();
        await _ledger.RegisterAsync(patient.Public, Role.Patient, "patient");
        var signer = new TransactionSigner(patient, network, time: new StoppedClock(T0));
        await _ledger.Node.SubmitAndWaitAsync(signer.Sign(new StatisticsConsentPayload(statistics, true)), TimeSpan.FromSeconds(30));
        var row = new long[VitalSignsLayout.Slots.Count];
        row[(int)VitalSignSlot.RrIntervalCount] = 2;
        row[(int)VitalSignSlot.RrIntervalSumMs] = 2 * rrMs;
        row[(int)VitalSignSlot.PatientPeriods] = 1;
        var ciphertext = key.Encrypt(VitalSignsLayout.Create(modulusBits: key.ModulusBits).Encode(row));
        await _ledger.Node.SubmitAndWaitAsync(signer.Sign(new StatisticsContributionPayload(statistics, T0, T0 + 60_000, [PaillierCbor.Encode(ciphertext)])), TimeSpan.FromSeconds(30));
        return patient.Id.ToString();
    }

    private sealed class StoppedClock(long ms) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => DateTimeOffset.FromUnixTimeMilliseconds(ms);
    }
}
