using System.Diagnostics;
using HealthBlock.Accounting;
using HealthBlock.Crypto;
using HealthBlock.Ledger;
using HealthBlock.Protocol.Ledger;

namespace HealthBlock.LedgerGrowth.Bench;

/// <summary>What one checkpoint measured, each figure beside its ceiling from the same run.</summary>
internal sealed record Checkpoint(
    double Days,
    long Transactions,
    long TransactionBytes,
    IReadOnlyDictionary<string, long> Disk,
    double RestartMs,
    double ReadFolderMs,
    double AuditMs,
    double VerifyOnlyMs,
    IReadOnlyDictionary<string, (double P50, double P99)> Queries)
{
    public long DiskBytes => Disk.Values.Sum();

    /// <summary>True when the full audit ran here (else <see cref="AuditMs"/> is NaN: extrapolated in the report).</summary>
    public bool Audited => !double.IsNaN(AuditMs);
}

/// <summary>Starts a node on the generated folder and measures restart, queries, the audit and the disk.</summary>
internal static class Probe
{
    private const int QueryRounds = 300;

    /// <param name="verifyMsPerTransaction">The cost of the audit's signature check per transaction, measured by the writer.</param>
    /// <param name="audit">False to skip the full audit (its time is then NaN).</param>
    public static async Task<Checkpoint> MeasureAsync(string folder, Genesis genesis, IdentityKey nodeKey, Population population, double days, long transactions, long transactionBytes, double verifyMsPerTransaction, bool audit, Func<AccountingNode, Task>? whileRunning = null)
    {
        var readFolderMs = ReadFolder(folder);
        var restarts = new List<double>();
        for (var i = 0; i < 3; i++)
        {
            var (started, ms) = await StartAsync(folder, genesis, nodeKey);
            restarts.Add(ms);
            await started.DisposeAsync();
        }

        var restartMs = restarts.Order().ElementAt(1);
        var (node, _) = await StartAsync(folder, genesis, nodeKey);
        var clock = new Stopwatch();
        Dictionary<string, (double, double)> queries;
        double auditMs, verifyMs;
        try
        {
            using var client = new LedgerClient(node.HttpUrl, nodeKey);
            queries = await QueriesAsync(client, population);
            if (whileRunning is not null)
            {
                await whileRunning(node);
            }

            auditMs = double.NaN;
            verifyMs = verifyMsPerTransaction * transactions;
            if (audit)
            {
                clock.Restart();
                var report = await LedgerAudit.RunAsync(client);
                auditMs = clock.Elapsed.TotalMilliseconds;
                if (!report.Ok)
                {
                    throw new InvalidOperationException($"The audit failed: {report.Message}");
                }

                verifyMs = verifyMsPerTransaction * report.Transactions;
            }

            await node.StopAsync();
            return new Checkpoint(days, transactions, transactionBytes, DiskUse(folder), restartMs, readFolderMs, auditMs, verifyMs, queries);
        }
        finally
        {
            await node.DisposeAsync();
        }
    }

    /// <summary>
    /// Bytes on disk by kind (blocks, offsets, transaction index, state snapshot, Raft log): the blocks the file system
    /// allocated, as <c>du</c> counts them (the Raft log's chunk files are sparse until written), else file lengths.
    /// </summary>
    public static Dictionary<string, long> DiskUse(string folder)
    {
        var allocated = Allocated(folder);
        var use = new Dictionary<string, long> { ["blocks"] = 0, ["offsets"] = 0, ["index"] = 0, ["snapshot"] = 0, ["raft"] = 0 };
        foreach (var f in new DirectoryInfo(folder).EnumerateFiles("*", SearchOption.AllDirectories))
        {
            var kind = f.FullName.Contains($"{Path.DirectorySeparatorChar}raft{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "raft"
                : f.Name.EndsWith(".blocks", StringComparison.Ordinal) ? "blocks"
                : f.Name.EndsWith(".offsets", StringComparison.Ordinal) ? "offsets"
                : f.Name.StartsWith(DiskTransactionIndex.FileName, StringComparison.Ordinal) ? "index"
                : "snapshot";
            use[kind] += allocated.TryGetValue(f.FullName, out var bytes) ? bytes : f.Length;
        }

        return use;
    }

    /// <summary>Allocated bytes of each file under <paramref name="folder"/> from <c>du -a -B1</c>; empty when du is not there.</summary>
    private static Dictionary<string, long> Allocated(string folder)
    {
        var sizes = new Dictionary<string, long>(StringComparer.Ordinal);
        try
        {
            using var du = Process.Start(new ProcessStartInfo("du", ["-a", "-B1", folder]) { RedirectStandardOutput = true })!;
            var text = du.StandardOutput.ReadToEnd();
            du.WaitForExit();
            foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
            {
                var tab = line.IndexOf('\t', StringComparison.Ordinal);
                if (tab > 0 && long.TryParse(line.AsSpan(0, tab), System.Globalization.CultureInfo.InvariantCulture, out var bytes))
                {
                    sizes[line[(tab + 1)..]] = bytes;
                }
            }
        }
        catch (System.ComponentModel.Win32Exception)
        {
            // No du: file lengths stand in.
        }

        return sizes;
    }

    /// <summary>Starts a node on the folder; returns it and the time until it leads (a single node: it serves).</summary>
    private static async Task<(AccountingNode Node, double Ms)> StartAsync(string folder, Genesis genesis, IdentityKey nodeKey)
    {
        var clock = Stopwatch.StartNew();
        var node = await AccountingNode.StartAsync(new AccountingOptions
        {
            DataDirectory = folder,
            Genesis = genesis,
            NodeKey = nodeKey,
            StartupVerification = StartupVerification.Tail,
        });
        await node.WaitForLeaderAsync(TimeSpan.FromSeconds(60));
        return (node, clock.Elapsed.TotalMilliseconds);
    }

    /// <summary>Reads every byte of the folder once: what a node that replays its chains must at least do.</summary>
    private static double ReadFolder(string folder)
    {
        var clock = Stopwatch.StartNew();
        var buffer = new byte[1 << 20];
        foreach (var f in Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories))
        {
            using var s = File.OpenRead(f);
            while (s.Read(buffer) > 0)
            {
            }
        }

        return clock.Elapsed.TotalMilliseconds;
    }

    /// <summary>p50/p99 of the status, balance and grant (patient keys) queries, and of the genesis route (the HTTP floor).</summary>
    private static async Task<Dictionary<string, (double, double)>> QueriesAsync(LedgerClient client, Population population)
    {
        var random = new Random(17);
        var routes = new (string Name, Func<Task> Query)[]
        {
            ("http floor (genesis)", () => client.GetGenesisAsync()),
            ("status", () => client.GetStatusAsync()),
            ("balance", () => client.GetBalanceAsync(population.PatientId(random.Next(population.Count)))),
            ("grant (patient keys)", () => client.GetPatientKeysAsync(population.PatientId(random.Next(population.Count)))),
            ("patient's transactions (100)", () => client.GetTransactionsForAsync(population.PatientId(random.Next(population.Count)), ChainId.Userchain, 0, 100)),
        };
        var result = new Dictionary<string, (double, double)>();
        foreach (var (name, query) in routes)
        {
            for (var i = 0; i < 20; i++)
            {
                await query();
            }

            var times = new double[QueryRounds];
            for (var i = 0; i < QueryRounds; i++)
            {
                var clock = Stopwatch.StartNew();
                await query();
                times[i] = clock.Elapsed.TotalMilliseconds;
            }

            Array.Sort(times);
            result[name] = (times[QueryRounds / 2], times[(QueryRounds * 99 / 100) - 1]);
        }

        return result;
    }
}
