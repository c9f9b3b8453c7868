using System.CommandLine;
using System.Globalization;
using HealthBlock.Crypto;
using HealthBlock.Ledger;
using HealthBlock.Paillier;
using HealthBlock.Protocol.Ledger;
using HealthBlock.Statistics;
using Microsoft.Extensions.Logging;

namespace HealthBlock.Cli.Commands;

/// <summary>
/// <c>healthblock stats serve|cohort|policy</c> (issue 20): run the statistics node, ask it for a cohort figure, set its k.
/// </summary>
internal static class StatsCommand
{
    /// <summary>The statistics identity's key file in the node's data folder.</summary>
    public const string IdentityFileName = "statistics.key";

    public static Command Create(CliContext context) =>
        new("stats", "Cohort statistics over Paillier-encrypted contributions: the statistics node, cohort questions, the k policy")
        {
            Serve(context), Cohort(context), Policy(context),
        };

    private static Command Serve(CliContext context)
    {
        var data = new Option<DirectoryInfo>("--data") { Description = "Statistics node data folder (Paillier key sealed to the identity; default identity key file)", Required = true };
        var ledger = EndpointOptions.Ledger();
        var listen = new Option<string>("--listen") { Description = "URL to serve on", DefaultValueFactory = _ => "http://127.0.0.1:0" };
        var key = new Option<string?>("--key") { Description = $"Statistics identity key file (default DATA/{IdentityFileName}; create one with: healthblock keygen --role statistics)" };
        var bits = new Option<int>("--paillier-bits") { Description = "Modulus size of a new Paillier key (3072; 2048 allowed)", DefaultValueFactory = _ => PaillierKeySize.Default };
        var passphraseFile = new Option<FileInfo?>("--passphrase-file") { Description = "Read the key passphrase from this file (else $HEALTHBLOCK_PASSPHRASE, else a prompt; with systemd: LoadCredential)" };
        var serve = new Command("serve", "Run the statistics node: publish its Paillier key, answer signed cohort requests under the k and differencing rules")
        {
            data, ledger, listen, key, bits, passphraseFile,
        };
        serve.SetAction((parse, cancellationToken) => CommandRunner.RunAsync(context, async () =>
        {
            var folder = parse.GetValue(data)!.FullName;
            Directory.CreateDirectory(folder);
            using var identity = OpenKey(context, Path.Combine(folder, IdentityFileName), parse.GetValue(key), parse.GetValue(passphraseFile)?.FullName, Role.Statistics);
            var paillier = await OpenPaillierKeyAsync(context, folder, identity, parse.GetValue(bits));
            using var loggers = Connections.Logging();
            using var client = Connections.Ledger(parse.GetValue(ledger)!, identity);
            var network = (await client.GetGenesisAsync(cancellationToken)).NetworkId;
            var submitter = new LedgerSubmitter(identity, network, new MemoryNonceCounter(), client);
            await submitter.SyncNonceAsync(cancellationToken);
            using var node = new StatisticsNode(paillier, submitter, client);
            try
            {
                await node.EnsureKeyPublishedAsync(cancellationToken);
            }
            catch (InvalidOperationException e)
            {
                throw new CliException(e.Message);
            }

            await using var api = await StatisticsHttpApi.StartAsync(node, parse.GetValue(listen)!, loggers.CreateLogger("HealthBlock.Statistics"), cancellationToken);
            await context.Out.WriteLineAsync($"statistics id={identity.Id} url={api.Url} paillier-bits={paillier.PublicKey.ModulusBits}");
            await context.Out.FlushAsync(cancellationToken);
            try
            {
                await Task.Delay(Timeout.Infinite, cancellationToken);
            }
            catch (OperationCanceledException)
            {
            }

            return ExitCodes.Ok;
        }));
        return serve;
    }

    private static Command Cohort(CliContext context)
    {
        var node = new Option<string>("--node") { Description = "URL of the statistics node", Required = true };
        var ledger = EndpointOptions.Ledger();
        var statistics = new Option<string>("--statistics") { Description = "The statistics identity's id", Required = true };
        var key = new Option<FileInfo>("--key") { Description = "The requester's key file (a registered doctor or admin)", Required = true };
        var metric = new Option<string>("--metric") { Description = $"One of: {string.Join(", ", CohortMetric.All)}", DefaultValueFactory = _ => CohortMetric.HeartRate };
        var patients = new Option<string?>("--patients") { Description = "Comma-separated patient ids (default: every opted-in patient with a contribution in the window)" };
        var passphraseFile = new Option<FileInfo?>("--passphrase-file") { Description = "Read the key passphrase from this file (else $HEALTHBLOCK_PASSPHRASE)" };
        var window = ExportWindow.Options();
        var cohort = new Command("cohort", "Sum a cohort's encrypted contributions from the chain and ask the statistics node to decrypt the sum")
        {
            node, ledger, statistics, key, metric, patients, window.From, window.To, passphraseFile,
        };
        cohort.SetAction((parse, cancellationToken) => CommandRunner.RunAsync(context, async () =>
        {
            var (fromMs, toMs) = window.Read(parse);
            var metricName = parse.GetValue(metric)!;
            if (!CohortMetric.IsKnown(metricName))
            {
                throw new CliException($"--metric '{metricName}' is not one of: {string.Join(", ", CohortMetric.All)}");
            }

            var statisticsId = ParseId(parse.GetValue(statistics)!, "--statistics");
            IReadOnlyList<IdentityId>? named = parse.GetValue(patients) is { } list
                ? [.. list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(p => ParseId(p, "--patients"))]
                : null;
            var keyFile = parse.GetValue(key)!;
            using var requester = OpenKey(context, keyFile.FullName, null, parse.GetValue(passphraseFile)?.FullName, null);
            using var client = Connections.Ledger(parse.GetValue(ledger)!, requester);
            using var statisticsNode = new StatisticsClient(NodeUrl(parse.GetValue(node)!));
            try
            {
                var request = await CohortRequester.PrepareAsync(client, statisticsId, requester, metricName, fromMs, toMs, named, cancellationToken: cancellationToken);
                var a = await statisticsNode.AskAsync(request, cancellationToken);
                var value = a.Value is { } v ? v.ToString("0.###", CultureInfo.InvariantCulture) : "no readings";
                await context.Out.WriteLineAsync($"{a.Metric}={value} readings={a.Readings} patients={a.Patients} contributions={a.Contributions} k={a.K} record={a.RecordTransaction}");
            }
            catch (CohortRefusedException e)
            {
                throw new CliException($"the statistics node refused: {e.Reason}: {e.Message}");
            }
            catch (InvalidOperationException e)
            {
                throw new CliException(e.Message);
            }

            return ExitCodes.Ok;
        }));
        return cohort;
    }

    private static Command Policy(CliContext context)
    {
        var statistics = new Option<string>("--statistics") { Description = "The statistics identity's id", Required = true };
        var k = new Option<uint>("--k") { Description = $"The smallest cohort, in patients ({StatisticsPolicyPayload.MinK} or more)", Required = true };
        var (ledger, key, passphraseFile) = AdminCommand.AdminOptions();
        var policy = new Command("policy", "Admin: set the k a statistics identity applies (smallest cohort, smallest difference between cohorts)")
        {
            statistics, k, ledger, key, passphraseFile,
        };
        policy.SetAction((parse, cancellationToken) => CommandRunner.RunAsync(context, async () =>
        {
            var payload = new StatisticsPolicyPayload(ParseId(parse.GetValue(statistics)!, "--statistics"), parse.GetValue(k));
            var location = await AdminCommand.SubmitAsAdminAsync(context, parse, ledger, key, passphraseFile, payload, cancellationToken);
            await context.Out.WriteLineAsync($"k={payload.K} for {payload.Statistics} at {location}");
            return ExitCodes.Ok;
        }));
        return policy;
    }

    /// <summary>The node's Paillier key, sealed to its identity in the data folder (<see cref="PaillierKeyFile"/>): opened, or created on the first run.</summary>
    private static async Task<PaillierPrivateKey> OpenPaillierKeyAsync(CliContext context, string folder, IdentityKey identity, int bits)
    {
        var path = Path.Combine(folder, PaillierKeyFile.FileName);
        try
        {
            var (key, source) = PaillierKeyFile.LoadOrCreate(folder, identity, bits);
            if (source == PaillierKeySource.SealedFromPlaintext)
            {
                await context.Error.WriteLineAsync($"healthblock: sealed the plaintext Paillier key {PaillierKeyFile.PlaintextFileName} to {identity.Id} in {path} and deleted the plaintext file");
            }

            return key;
        }
        catch (CryptoException e)
        {
            throw new CliException($"'{(File.Exists(path) ? path : folder)}': {e.Message}");
        }
        catch (PaillierException e)
        {
            throw new CliException($"--paillier-bits {bits}: {e.Message}");
        }
    }

    private static IdentityKey OpenKey(CliContext context, string defaultPath, string? keyFile, string? passphraseFile, Role? role)
    {
        var path = Path.GetFullPath(keyFile ?? defaultPath);
        if (!File.Exists(path))
        {
            throw new CliException($"no key file at '{path}'" + (role is { } r ? $": create one with 'healthblock keygen --role {LedgerNames.RoleName(r)} --out {path}' and have an admin register it" : ""));
        }

        var text = File.ReadAllText(path);
        if (role is { } expected && KeyFile.ReadRole(text) is { } found && found != LedgerNames.RoleName(expected))
        {
            throw new CliException($"'{path}' is a {found} key, not a {LedgerNames.RoleName(expected)} key");
        }

        return KeyFile.Import(text, Passphrases.Read(context, passphraseFile, confirm: false));
    }

    private static IdentityId ParseId(string text, string option) =>
        IdentityId.TryParse(text, out var id) ? id : throw new CliException($"{option} '{text}' is not an identity id (32 lowercase base32 characters)");

    private static Uri NodeUrl(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
            ? uri
            : throw new CliException($"--node '{url}' is not an http(s) URL of a statistics node");
}
