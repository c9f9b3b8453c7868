using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using HealthBlock.Web;
using HealthBlock.Web.Ecg;

// The page's ECG decimation on the server: a 24 h history (86,400 one-second frames of 250 Hz, 21.6 M samples, held
// decoded as the RecordArchive holds them) answered as min/max buckets, beside the ceiling measured in the same run: one
// plain pass over every sample into the same buckets (what decimation costs without each frame's kept extremes).
// Usage: dotnet run -c Release --project bench/HealthBlock.Web.Bench [-- --hours 24 --points 2000 --runs 15]
var hours = Arg("--hours", 24);
var points = Arg("--points", 2000);
var runs = Arg("--runs", 15);
const ulong Device = 0x4842_0000_0000_0001UL;
const int Rate = 250;
var start = 1_790_000_000_000L;
var frames = new List<EcgSamples>(hours * 3600);
var random = new Random(18);
for (var s = 0; s < hours * 3600; s++)
{
    var samples = new short[Rate];
    for (var i = 0; i < Rate; i++)
    {
        var t = (s * Rate) + i;
        // A 72 bpm spike train on a slow baseline, with noise: shaped enough that min/max buckets differ.
        var beat = (t % 208) < 6 ? 1200 : 0;
        samples[i] = (short)(beat + (150 * Math.Sin(t / 400.0)) + random.Next(-30, 30));
    }

    frames.Add(new EcgSamples(Device, start + (s * 1000L), Rate * 1000, samples, leadOff: false));
}

var end = start + (hours * 3600_000L);
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"web decimation bench: {hours} h of {Rate} Hz ECG = {frames.Count:N0} frames, {(long)frames.Count * Rate:N0} samples; {points} points asked; median of {runs} runs"));

var full = Median(() => EcgSeriesBuilder.Build(Device, frames, start, end, points));
var json = Median(() => JsonSerializer.SerializeToUtf8Bytes(EcgSeriesBuilder.Build(Device, frames, start, end, points), JsonSerializerOptions.Web));
var bytes = JsonSerializer.SerializeToUtf8Bytes(EcgSeriesBuilder.Build(Device, frames, start, end, points), JsonSerializerOptions.Web).Length;
var hour = Median(() => EcgSeriesBuilder.Build(Device, frames, end - 3600_000, end, points));
var zoom = Median(() => EcgSeriesBuilder.Build(Device, frames, end - 600_000, end, points));
var strip = Median(() => EcgSeriesBuilder.Build(Device, frames, end - 10_000, end, 20_000));
var ceiling = Median(() => EveryBucketOfEverySample(frames, start, end, points / 2));

Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {hours} h -> {points} points          {full,8:0.00} ms"));
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {hours} h -> {points} points + JSON   {json,8:0.00} ms ({bytes / 1024.0:0} KiB)"));
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  1 h zoom                    {hour,8:0.00} ms"));
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  10 min zoom                 {zoom,8:0.00} ms"));
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  10 s raw strip + R peaks    {strip,8:0.00} ms"));
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"ceiling (same run): one min/max pass over every sample of {hours} h {ceiling,8:0.00} ms"));
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"target: a {hours} h answer (with JSON) under 200 ms: {(json < 200 ? "met" : "NOT met")} ({json:0.0} ms; {ceiling / full:0.0}x faster than the per-sample pass)"));
return json < 200 ? 0 : 1;

int Arg(string name, int fallback)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length && int.TryParse(args[i + 1], CultureInfo.InvariantCulture, out var v) ? v : fallback;
}

double Median(Func<object> work)
{
    work();
    var times = new double[runs];
    for (var r = 0; r < runs; r++)
    {
        var clock = Stopwatch.StartNew();
        GC.KeepAlive(work());
        times[r] = clock.Elapsed.TotalMilliseconds;
    }

    Array.Sort(times);
    return times[runs / 2];
}

static object EveryBucketOfEverySample(List<EcgSamples> frames, long fromMs, long toMs, int buckets)
{
    var min = new int[buckets];
    var max = new int[buckets];
    Array.Fill(min, int.MaxValue);
    Array.Fill(max, int.MinValue);
    var width = (toMs - fromMs) / (double)buckets;
    foreach (var frame in frames)
    {
        var samples = frame.Microvolts;
        for (var i = 0; i < samples.Length; i++)
        {
            var b = (int)((frame.TimeOf(i) - fromMs) / width);
            if (b >= 0 && b < buckets)
            {
                min[b] = Math.Min(min[b], samples[i]);
                max[b] = Math.Max(max[b], samples[i]);
            }
        }
    }

    return (min, max);
}
