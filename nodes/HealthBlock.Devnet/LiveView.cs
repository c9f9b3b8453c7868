using System.Globalization;
using Spectre.Console;

namespace HealthBlock.Devnet;

/// <summary>A live table in the terminal (Spectre.Console).</summary>
public sealed class LiveView : IDevnetView, IDisposable
{
    private readonly IAnsiConsole _console;
    private readonly CancellationTokenSource _done = new();
    private DevnetSnapshot? _latest;
    private Task? _live;

    /// <summary>Creates the view on <paramref name="console"/>.</summary>
    public LiveView(IAnsiConsole console) => _console = console;

    /// <inheritdoc />
    public void Step(string message)
    {
        if (_live is null)
        {
            _console.MarkupLine($"[grey]•[/] {Markup.Escape(message)}");
        }
    }

    /// <inheritdoc />
    public void Tick(DevnetSnapshot snapshot)
    {
        Volatile.Write(ref _latest, snapshot);
        _live ??= Task.Run(() => _console.Live(Render(snapshot)).AutoClear(false).Start(ctx =>
        {
            while (!_done.IsCancellationRequested)
            {
                ctx.UpdateTarget(Render(Volatile.Read(ref _latest)!));
                _done.Token.WaitHandle.WaitOne(250);
            }

            ctx.UpdateTarget(Render(Volatile.Read(ref _latest)!));
        }));
    }

    /// <inheritdoc />
    public void Finished(DevnetReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        _done.Cancel();
        _live?.Wait();
        _live = null;
        foreach (var line in Summary.Lines(report))
        {
            _console.MarkupLine(line.StartsWith("FAILED", StringComparison.Ordinal) || line.Contains("problem", StringComparison.Ordinal)
                ? $"[red]{Markup.Escape(line)}[/]"
                : Markup.Escape(line));
        }
    }

    private static Table Render(DevnetSnapshot s)
    {
        var table = new Table().Border(TableBorder.Rounded).Title($"HealthBlock devnet — {s.Phase}, {s.Elapsed.TotalSeconds:F0} s");
        table.AddColumn("metric");
        table.AddColumn(new TableColumn("value").RightAligned());
        table.AddRow("frames/s journalled", s.FramesPerSecond.ToString("F0", CultureInfo.InvariantCulture));
        table.AddRow("frames acknowledged", s.FramesAcked.ToString(CultureInfo.InvariantCulture));
        table.AddRow("journal backlog", s.Backlog.ToString(CultureInfo.InvariantCulture));
        table.AddRow("Userchain blocks", s.UserchainBlocks.ToString(CultureInfo.InvariantCulture));
        table.AddRow("Docchain blocks", s.DocchainBlocks.ToString(CultureInfo.InvariantCulture));
        table.AddRow("diagnoses", s.Diagnoses.ToString(CultureInfo.InvariantCulture));
        table.AddRow("rejected frames", s.Rejections.ToString(CultureInfo.InvariantCulture));
        table.AddRow("reading → diagnosis p50 / p99", $"{s.LatencyP50:F0} / {s.LatencyP99:F0} ms");
        foreach (var (patient, finding) in s.Findings)
        {
            table.AddRow(Markup.Escape(patient), Markup.Escape(finding.Length > 70 ? finding[..70] + "…" : finding));
        }

        return table;
    }

    /// <inheritdoc />
    public void Dispose() => _done.Dispose();
}

/// <summary>The end-of-run summary lines both views print.</summary>
internal static class Summary
{
    public static IEnumerable<string> Lines(DevnetReport r)
    {
        yield return string.Create(CultureInfo.InvariantCulture, $"frames: {r.FramesProduced} produced, {r.FramesAcked} acknowledged, {r.FramesCommitted} committed, {r.FramesRejected} rejected, {r.FramesDroppedByDevices} dropped by devices, {r.AckedFramesMissing} acknowledged but missing");
        yield return $"transactions: {r.IotTxs} IoT, {r.KeyTxs} key, {r.PaymentTxs} payment, {r.Diagnoses} diagnoses; blocks: {string.Join(", ", r.Blocks.Select(b => $"{b.Key} {b.Value}"))}";
        yield return string.Create(CultureInfo.InvariantCulture, $"reading → diagnosis committed: p50 {r.LatencyMs.P50:F0} ms, p99 {r.LatencyMs.P99:F0} ms ({r.LatencyMs.Count} diagnoses); {r.FramesPerSecond:F0} frames/s");
        yield return $"revoked doctor's diagnoses after revocation: {r.RevokedDoctorDiagnosesAfterRevocation}";
        yield return r.Audit.Ok ? "audit: ok (chains, signatures, Merkle roots, state, store)" : $"audit: {r.Audit.Problems.Count} problem(s)";
        foreach (var p in r.Audit.Problems)
        {
            yield return "  problem: " + p;
        }

        if (r.Statistics is { } s)
        {
            yield return s.Refused is { } refused
                ? $"statistics: refused: {refused}"
                : string.Create(CultureInfo.InvariantCulture, $"statistics: cohort mean heart rate {s.CohortHeartRateBpm:F3} bpm over {s.Patients} patients, {s.Contributions} patient-periods, {s.RrIntervals} RR intervals (k = {s.K}); in the clear {s.ClearHeartRateBpm:F3} bpm from {s.ClearRrIntervals} RR intervals; {(s.Matches ? "equal" : "DIFFERENT")}; decryption record {s.Record}");
        }

        yield return r.Alerts.Count == 0 ? "alerts: none" : "alerts: " + string.Join(", ", r.Alerts.Select(a => $"{a.Key} {a.Value}"));
        yield return r.Ok ? "devnet: OK" : "FAILED: see the problems above";
    }
}
