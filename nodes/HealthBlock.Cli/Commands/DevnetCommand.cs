using System.CommandLine;
using HealthBlock.Devnet;
using Microsoft.Extensions.Logging;
using Spectre.Console;

namespace HealthBlock.Cli.Commands;

/// <summary><c>healthblock devnet</c>: the whole system in one process.</summary>
internal static class DevnetCommand
{
    public static Command Create(CliContext context)
    {
        var wearables = new Option<int?>("--wearables") { Description = "Emulated wearables (ECG 250 Hz, blood pressure, temperature); default: patients × wearables per patient, or 3" };
        var perPatient = new Option<int?>("--wearables-per-patient") { Description = "Wearables per patient (1-10); with --patients, sets --wearables" };
        var perBatch = new Option<bool>("--per-batch") { Description = "The old design: a batch per window and a diagnosis per batch, no live path" };
        var iotPeriod = new Option<int>("--iot-period-s") { Description = "Live path: seconds of live sub-batches one IoT transaction commits", DefaultValueFactory = _ => 60 };
        var summaryPeriod = new Option<int>("--summary-period-s") { Description = "Live path: one summary diagnosis per patient per doctor per this many seconds", DefaultValueFactory = _ => 900 };
        var doctors = new Option<int>("--doctors") { Description = "Doctor nodes", DefaultValueFactory = _ => 2 };
        var patients = new Option<int?>("--patients") { Description = "Patients, one gateway each, up to 1000 (default: one per wearable, up to 10)" };
        var seconds = new Option<int>("--seconds") { Description = "How long the wearables stream (0 = until Ctrl-C)", DefaultValueFactory = _ => 60 };
        var nodes = new Option<int>("--nodes") { Description = "Accounting nodes: 1 or 3", DefaultValueFactory = _ => 1 };
        var data = new Option<string?>("--data") { Description = "Data folder (default: a temp folder removed at the end)" };
        var store = new Option<string>("--store") { Description = "embedded, or an IPFS API URL", DefaultValueFactory = _ => "embedded" };
        var mqtt = new Option<string>("--mqtt") { Description = "embedded (a broker in each gateway), or mqtt://host:port", DefaultValueFactory = _ => "embedded" };
        var report = new Option<FileInfo?>("--report") { Description = "Write the JSON report here" };
        var fhir = new Option<DirectoryInfo?>("--fhir") { Description = "At the end, export every patient's records as FHIR R4 Bundles into this folder" };
        var window = new Option<int>("--window-ms") { Description = "Gateway batch window", DefaultValueFactory = _ => 250 };
        var ecgFrame = new Option<int>("--ecg-frame-ms") { Description = "Length of one ECG frame on the wearables", DefaultValueFactory = _ => 1000 };
        var ecgContext = new Option<int>("--ecg-context-s") { Description = "Seconds of preceding ECG the doctors analyse with each batch (0: each batch alone)", DefaultValueFactory = _ => 10 };
        var stats = new Option<bool>("--stats") { Description = "Cohort statistics: gateways contribute Paillier-encrypted periods; at the end a doctor asks for the cohort's mean heart rate" };
        var noWeb = new Option<bool>("--no-web") { Description = "Do not serve the patient and doctor pages (by default each gateway and doctor node serves its page on loopback; see docs/web.md)" };
        var webPassphrase = new Option<string?>("--web-passphrase") { Description = "Write the demo identities' key files to <data>/keys with this passphrase, which then also opens their pages" };
        var plain = new Option<bool>("--plain") { Description = "One plain line per second even on a terminal" };
        var command = new Command("devnet", "Run the whole system in one process: ledger, store, gateways, emulated wearables, doctors; then audit and report")
        {
            wearables, perPatient, doctors, patients, seconds, nodes, data, store, mqtt, report, fhir, window, ecgFrame, ecgContext, stats, noWeb, webPassphrase, plain, perBatch, iotPeriod, summaryPeriod,
        };
        command.SetAction((parse, cancellationToken) => CommandRunner.RunAsync(context, async () =>
        {
            var n = parse.GetValue(patients);
            var k = parse.GetValue(perPatient);
            var options = new DevnetOptions
            {
                Wearables = parse.GetValue(wearables) ?? (n is { } count ? count * (k ?? 1) : 3),
                WearablesPerPatient = k,
                LivePath = !parse.GetValue(perBatch),
                IotPeriod = TimeSpan.FromSeconds(parse.GetValue(iotPeriod)),
                SummaryPeriod = TimeSpan.FromSeconds(parse.GetValue(summaryPeriod)),
                Doctors = parse.GetValue(doctors),
                Patients = parse.GetValue(patients),
                Seconds = parse.GetValue(seconds),
                Nodes = parse.GetValue(nodes),
                DataFolder = parse.GetValue(data) is { } d ? Path.GetFullPath(d) : null,
                Store = parse.GetValue(store)!,
                Mqtt = parse.GetValue(mqtt)!,
                BatchWindow = TimeSpan.FromMilliseconds(Math.Max(10, parse.GetValue(window))),
                EcgFrame = TimeSpan.FromMilliseconds(parse.GetValue(ecgFrame)),
                EcgContext = TimeSpan.FromSeconds(Math.Max(0, parse.GetValue(ecgContext))),
                FhirFolder = parse.GetValue(fhir)?.FullName,
                Stats = parse.GetValue(stats),
                Web = !parse.GetValue(noWeb),
                WebPassphrase = parse.GetValue(webPassphrase),
            };
            try
            {
                options.Validate();
            }
            catch (ArgumentException e)
            {
                throw new CliException(e.Message);
            }

            var interactive = !Console.IsOutputRedirected && !parse.GetValue(plain) && ReferenceEquals(context.Out, Console.Out);
            using var live = interactive ? new LiveView(AnsiConsole.Console) : null;
            IDevnetView view = live is not null ? live : new PlainView(context.Out);
            using var loggers = LoggerFactory.Create(b => b.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Error));
            var result = await new DevnetRunner(options, view, loggers).RunAsync(cancellationToken);
            if (parse.GetValue(report) is { } file)
            {
                await File.WriteAllTextAsync(file.FullName, result.ToJson(), CancellationToken.None);
                await context.Out.WriteLineAsync($"report written to {file.FullName}");
            }

            return result.Ok ? ExitCodes.Ok : ExitCodes.CheckFailed;
        }));
        return command;
    }
}
