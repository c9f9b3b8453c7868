using System.Globalization;
using Spectre.Console;

namespace HealthBlock.Devnet;

/// <summary>One plain line per second, for logs and pipes (stdout is not a terminal).</summary>
public sealed class PlainView(TextWriter output) : IDevnetView
{
    /// <inheritdoc />
    public void Step(string message) => output.WriteLine($"devnet: {message}");

    /// <inheritdoc />
    public void Tick(DevnetSnapshot s)
    {
        ArgumentNullException.ThrowIfNull(s);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"t={s.Elapsed.TotalSeconds:F0}s {s.Phase} frames/s={s.FramesPerSecond:F0} acked={s.FramesAcked} backlog={s.Backlog} blocks=user:{s.UserchainBlocks},doc:{s.DocchainBlocks} diagnoses={s.Diagnoses} rejected={s.Rejections} latency_ms=p50:{s.LatencyP50:F0},p99:{s.LatencyP99:F0}"));
        output.Flush();
    }

    /// <inheritdoc />
    public void Finished(DevnetReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        foreach (var line in Summary.Lines(report))
        {
            output.WriteLine(line);
        }
    }
}
