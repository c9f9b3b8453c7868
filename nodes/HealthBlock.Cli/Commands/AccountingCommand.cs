using System.CommandLine;
using HealthBlock.Accounting;
using HealthBlock.Crypto;
using HealthBlock.Hosting;
using HealthBlock.Ledger;
using HealthBlock.Protocol.Ledger;

namespace HealthBlock.Cli.Commands;

/// <summary><c>healthblock accounting …</c> runs an accounting node; <c>healthblock audit</c> re-verifies a ledger.</summary>
internal static class AccountingCommand
{
    public static Command Create(CliContext context)
    {
        var data = new Option<DirectoryInfo?>("--data") { Description = "Node data folder (Raft log, blocks, snapshots; locked while the node runs)" };
        var listen = new Option<string>("--listen") { Description = "URL to listen on: the ledger API, /healthz, /readyz, /metrics (https:// serves a certificate on the node key; http:// is the plaintext opt-out)", DefaultValueFactory = _ => "https://127.0.0.1:8080" };
        var publicUrl = new Option<string?>("--public-url") { Description = "URL other nodes and clients use to reach this node (default: the listen URL)" };
        var raft = new Option<string>("--raft") { Description = "This node's Raft endpoint ip:port (port 0: a single node, port chosen by the OS)", DefaultValueFactory = _ => "127.0.0.1:0" };
        var peers = new Option<string[]>("--peers") { Description = "Raft endpoints of every member, this one included (ip:port …)", AllowMultipleArgumentsPerToken = true };
        var genesis = new Option<FileInfo?>("--genesis") { Description = "Genesis file (JSON); required" };
        var key = new Option<FileInfo?>("--key") { Description = "This node's key file (role node, named in the genesis); required" };
        var passphraseFile = new Option<FileInfo?>("--passphrase-file") { Description = "Read the key passphrase from this file (else $HEALTHBLOCK_PASSPHRASE; with systemd: LoadCredential)" };
        var batchMs = new Option<int>("--block-interval-ms") { Description = "Longest wait before pending transactions become a block", DefaultValueFactory = _ => 20 };
        var verification = new Option<string>("--startup-verification")
        {
            Description = "What a start checks of the stored chains: 'tail' (the default: the blocks since the last state snapshot and the tips, so a restart costs what the chain grew since, under a second at any length) or 'full' (every block and signature again: hours on a year-long chain; 'healthblock audit' does that check without stopping the node)",
            DefaultValueFactory = _ => "tail",
        };
        var config = RoleSettings.ConfigOption();
        var logLevel = RoleSettings.LogLevelOption();

        var alertMail = new AlertMailArguments();
        var run = new Command("accounting", "Run an accounting node: orders and validates Userchain and Docchain (Raft)")
        {
            data, listen, publicUrl, raft, peers, genesis, key, passphraseFile, batchMs, verification, config, logLevel,
        };
        alertMail.AddTo(run);
        run.SetAction((parse, cancellationToken) => CommandRunner.RunAsync(context, async () =>
        {
            var settings = RoleSettings.Read(context, parse, "Accounting", config, [data, listen, publicUrl, raft, peers, genesis, key, passphraseFile, batchMs, verification]);
            var level = settings.LogLevel(logLevel);
            var listenUrl = ListenAddresses.ParseHttpUrl(settings.Text(listen), "--listen");
            var advertised = settings.OptionalText(publicUrl) is { } p ? ListenAddresses.ParseHttpUrl(p, "--public-url") : null;
            var passphrase = Passphrases.Read(context, settings.OptionalPath(passphraseFile), confirm: false);
            using var loggers = RoleLogging.Create(level);
            await using var alerts = alertMail.CreateHub(context, parse, loggers, "accounting");
            var options = new AccountingOptions
            {
                DataDirectory = settings.RequiredPath(data),
                ListenUrl = listenUrl.ToString(),
                PublicUrl = advertised,
                RaftEndPoint = settings.Text(raft),
                Peers = EndpointOptions.Split(settings.List(peers)),
                GenesisFile = settings.RequiredPath(genesis),
                NodeKeyFile = settings.RequiredPath(key),
                NodeKeyPassphrase = passphrase,
                BatchInterval = TimeSpan.FromMilliseconds(Math.Max(1, settings.Int(batchMs))),
                StartupVerification = ParseVerification(settings.Text(verification)),
                LoggerFactory = loggers,
                Alerts = alerts,
            };
            try
            {
                options.Validate();
            }
            catch (InvalidOperationException e)
            {
                throw new StartupFailedException(e.Message);
            }

            AccountingNode? node = null;
            using var host = RoleHost.Build("accounting", level, new RoleHealth(() => node?.Health.Liveness() ?? HealthState.Unhealthy("starting"), () => node?.Health.Readiness() ?? HealthState.Unhealthy("starting")), _ => new RoleService(
                async ct =>
                {
                    node = await AccountingNode.StartAsync(options, ct);
                    await context.Out.WriteLineAsync($"accounting node={node.NodeId} http={node.HttpUrl}");
                    await context.Out.FlushAsync(ct);
                },
                async _ => await node!.DisposeAsync()));
            await RoleHost.RunAsync(host, cancellationToken);
            return ExitCodes.Ok;
        }));

        var dir = new Option<DirectoryInfo>("--out") { Description = "Folder for genesis.json, nodes/node-N.key and admin/admin-1.key", Required = true };
        var nodes = new Option<int>("--nodes") { Description = "Accounting nodes: 1, 3 or 5", DefaultValueFactory = _ => 1 };
        var fee = new Option<ulong>("--fee") { Description = "Healthcoin per diagnosis", DefaultValueFactory = _ => 10 };
        var network = new Option<string>("--network") { Description = "Network name, bound into the genesis (a-z, 0-9, '-')", DefaultValueFactory = _ => "devnet" };
        var adminPassphraseFile = new Option<FileInfo?>("--admin-passphrase-file") { Description = $"Read the admin key's passphrase from this file (else ${Passphrases.AdminVariable}, else a prompt)" };
        var init = new Command("init", "Create a network: a genesis with one admin and N accounting nodes; the node keys under one passphrase, the admin key apart under its own")
        {
            dir, nodes, fee, network, passphraseFile, adminPassphraseFile,
        };
        init.SetAction(parse => CommandRunner.Run(context, () =>
        {
            var count = parse.GetValue(nodes);
            if (!NetworkSetup.ClusterSizes.Contains(count))
            {
                throw new CliException($"--nodes {count}: a cluster has 1, 3 or 5 accounting nodes");
            }

            var nodePassphrase = Passphrases.Read(context, parse.GetValue(passphraseFile)?.FullName, confirm: true, what: "node passphrase");
            var adminPassphrase = Passphrases.Read(context, parse.GetValue(adminPassphraseFile)?.FullName, confirm: true, Passphrases.AdminVariable, "admin passphrase");
            if (adminPassphrase == nodePassphrase)
            {
                throw new CliException("the admin passphrase must differ from the node passphrase: the admin key never goes onto a node");
            }

            NetworkFiles files;
            try
            {
                files = NetworkSetup.Create(parse.GetValue(dir)!.FullName, count, nodePassphrase, adminPassphrase, parse.GetValue(network)!, parse.GetValue(fee));
            }
            catch (ArgumentException e)
            {
                throw new CliException(e.Message);
            }

            context.Out.WriteLine(files.GenesisFile);
            context.Out.WriteLine(files.AdminKeyFile);
            foreach (var f in files.NodeKeyFiles)
            {
                context.Out.WriteLine(f);
            }

            return ExitCodes.Ok;
        }));
        run.Subcommands.Add(init);
        return run;
    }

    /// <summary>The <c>--startup-verification</c> value: <c>tail</c> or <c>full</c>.</summary>
    /// <exception cref="CliException">Anything else.</exception>
    internal static StartupVerification ParseVerification(string value) => value.Trim().ToLowerInvariant() switch
    {
        "tail" => StartupVerification.Tail,
        "full" => StartupVerification.Full,
        _ => throw new CliException($"--startup-verification '{value}' is not tail or full"),
    };

    public static Command CreateAudit(CliContext context)
    {
        var ledger = EndpointOptions.Ledger();
        var store = new Option<string[]>("--store")
        {
            Description = "Also check the store, given as every holder's embedded store folder (space- or comma-separated): re-hash each block, find every block a transaction references in at least one of them, and check each cited live sub-batch against its stored period bundle",
            AllowMultipleArgumentsPerToken = true,
        };
        var iotPeriod = new Option<int>("--iot-period-s") { Description = "The gateways' IoT period (live path), for the citation rule: every live sub-batch a diagnosis cites must be committed by its patient's IoT transaction within two periods", DefaultValueFactory = _ => 60 };
        var checkpoints = new Option<string?>("--checkpoints") { Description = "A file of blocks earlier audits verified: each must be found again with the same hash (a rewritten or truncated history fails the audit); a passing audit appends the tips it verified. Keep it where the nodes' operators cannot write" };
        var alertMail = new AlertMailArguments();
        var reader = ReaderKey.Options("an accounting node, admin or auditor: the roles that read every block");
        var audit = new Command("audit", "Re-verify both chains from genesis (links, Merkle roots, signatures, every rule, the live citation rule); exit 0 only if all holds; a failure raises an alert")
        {
            ledger, store, iotPeriod, checkpoints, reader.Key, reader.PassphraseFile,
        };
        alertMail.AddTo(audit);
        audit.SetAction((parse, cancellationToken) => CommandRunner.RunAsync(context, async () =>
        {
            using var loggers = Connections.Logging(quiet: true);
            await using var alerts = alertMail.CreateHub(context, parse, loggers, "audit");
            var ledgerUrl = string.Join(' ', EndpointOptions.Split(parse.GetValue(ledger)));
            var periodSeconds = parse.GetValue(iotPeriod);
            if (periodSeconds < 1)
            {
                throw new CliException($"--iot-period-s must be at least 1 (got {periodSeconds})");
            }

            var checkpointFile = parse.GetValue(checkpoints) is { } cf ? Path.GetFullPath(cf) : null;
            var pinned = checkpointFile is null ? [] : AuditCheckpointFile.Read(checkpointFile);
            var folders = EndpointOptions.Split(parse.GetValue(store)).Select(f => Path.GetFullPath(f)).ToList();
            if (folders.FirstOrDefault(f => !Directory.Exists(f)) is { } absent)
            {
                throw new CliException($"--store: no embedded store folder at '{absent}' (the audit reads each holder's store folder)");
            }

            using var auditor = reader.Open(context, parse);
            using var client = Connections.Ledger(parse.GetValue(ledger), auditor);
            var role = (await client.GetIdentityAsync(auditor.Id, cancellationToken))?.Role;

            if (role is not (Role.AccountingNode or Role.Admin or Role.Auditor))
            {
                throw new CliException($"--key: the audit reads every block, which only an accounting node, admin or auditor key may; {auditor.Id} is {(role is { } r ? "a " + LedgerNames.RoleName(r) : "not registered")}");
            }

            var citations = new LiveCitationAudit(TimeSpan.FromSeconds(periodSeconds));
            var storedBlocks = new StoredBlockAudit();
            var report = await LedgerAudit.RunAsync(client, null, cancellationToken, citations, storedBlocks, pinned);
            var ok = report.Ok;
            if (report.Ok)
            {
                await context.Out.WriteLineAsync($"ledger ok: {report.UserchainBlocks} userchain and {report.DocchainBlocks} docchain blocks, {report.Transactions} transactions, state {report.StateHash}");
                if (checkpointFile is not null)
                {
                    var added = AuditCheckpointFile.Append(checkpointFile, pinned, report.Tips);
                    await context.Out.WriteLineAsync($"checkpoints: {pinned.Count} found again, {added} added ({checkpointFile})");
                }
            }
            else
            {
                await context.Out.WriteLineAsync($"AUDIT FAILED at {CheckAlerts.Where(report)}: {report.Reason}: {report.Message}");
                alerts.Raise(CheckAlerts.AuditFailed(report, ledgerUrl));
            }

            if (folders.Count > 0)
            {
                ok &= await AuditStoreReport.WriteAsync(context, alerts, folders, storedBlocks, citations, cancellationToken);
            }

            ok &= await LiveCitationReport.WriteAsync(context, alerts, citations, leavesChecked: folders.Count > 0, ledgerUrl);

            return ok ? ExitCodes.Ok : ExitCodes.CheckFailed;
        }));
        return audit;
    }
}
