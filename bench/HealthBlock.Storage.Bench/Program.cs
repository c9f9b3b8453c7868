// Embedded content store throughput beside its raw ceiling, measured in the same run.
//
//   dotnet run -c Release --project bench/HealthBlock.Storage.Bench [-- --dir PATH] [--rounds N]
//
// Ceiling for a put: SHA-256 of the block + write to a new file + one fsync (the least a durable,
// content-addressed write costs). The store does more: an existence check, a temp file, a rename and
// an fsync of the folder, so its ratio shows what atomicity costs. Ceiling for a get: read the file +
// SHA-256 (page cache warm, as for the store's gets). Run on a real disk: a tmpfs makes fsync free.
using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using HealthBlock.Protocol.Content;
using HealthBlock.Storage.Embedded;

var root = Path.Combine(ArgValue("--dir") ?? Path.GetTempPath(), "hb-storage-bench-" + Guid.NewGuid().ToString("N"));
var rounds = int.Parse(ArgValue("--rounds") ?? "3", CultureInfo.InvariantCulture);
(int Size, int Count)[] cases = [(64 * 1024, 300), (1024 * 1024, 40)];

Console.WriteLine($"HealthBlock.Storage.Bench: {Environment.ProcessorCount} cores, .NET {Environment.Version}, folder {root}, median of {rounds} rounds");
Console.WriteLine();
Console.WriteLine($"{"operation",-10} {"block",8} {"blocks",7} {"store MB/s",11} {"store blk/s",12} {"raw MB/s",10} {"raw blk/s",10} {"ratio",6}");
try
{
    foreach (var (size, count) in cases)
    {
        var putStore = new List<double>();
        var putRaw = new List<double>();
        var getStore = new List<double>();
        var getRaw = new List<double>();
        for (var round = 0; round < rounds; round++)
        {
            var blocks = Enumerable.Range(0, count).Select(_ => RandomNumberGenerator.GetBytes(size)).ToArray();
            var rawFolder = Path.Combine(root, $"raw-{size}-{round}");
            Directory.CreateDirectory(rawFolder);
            var store = new EmbeddedContentStore(Path.Combine(root, $"store-{size}-{round}"));

            // Alternate the order so neither side always runs on a warmer disk.
            if (round % 2 == 0)
            {
                putRaw.Add(RawPut(rawFolder, blocks));
                putStore.Add(await StorePut(store, blocks));
            }
            else
            {
                putStore.Add(await StorePut(store, blocks));
                putRaw.Add(RawPut(rawFolder, blocks));
            }

            var cids = blocks.Select(b => Cid.Compute(b)).ToArray();
            getRaw.Add(RawGet(rawFolder, count));
            getStore.Add(await StoreGet(store, cids));
        }

        Report("put", size, count, putStore, putRaw);
        Report("get", size, count, getStore, getRaw);
    }
}
finally
{
    Directory.Delete(root, recursive: true);
}

return 0;

static double RawPut(string folder, byte[][] blocks)
{
    var clock = Stopwatch.StartNew();
    for (var i = 0; i < blocks.Length; i++)
    {
        var digest = SHA256.HashData(blocks[i]);
        using var file = new FileStream(Path.Combine(folder, i.ToString(CultureInfo.InvariantCulture)), FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 0);
        file.Write(blocks[i]);
        file.Flush(flushToDisk: true);
        GC.KeepAlive(digest);
    }

    return clock.Elapsed.TotalSeconds;
}

static double RawGet(string folder, int count)
{
    var clock = Stopwatch.StartNew();
    for (var i = 0; i < count; i++)
    {
        var bytes = File.ReadAllBytes(Path.Combine(folder, i.ToString(CultureInfo.InvariantCulture)));
        GC.KeepAlive(SHA256.HashData(bytes));
    }

    return clock.Elapsed.TotalSeconds;
}

static async Task<double> StorePut(EmbeddedContentStore store, byte[][] blocks)
{
    var clock = Stopwatch.StartNew();
    foreach (var block in blocks)
    {
        await store.PutAsync(block);
    }

    return clock.Elapsed.TotalSeconds;
}

static async Task<double> StoreGet(EmbeddedContentStore store, Cid[] cids)
{
    var clock = Stopwatch.StartNew();
    foreach (var cid in cids)
    {
        GC.KeepAlive(await store.GetAsync(cid));
    }

    return clock.Elapsed.TotalSeconds;
}

static void Report(string operation, int size, int count, List<double> storeSeconds, List<double> rawSeconds)
{
    var store = Median(storeSeconds);
    var raw = Median(rawSeconds);
    var megabytes = (double)size * count / 1e6;
    Console.WriteLine(string.Create(
        CultureInfo.InvariantCulture,
        $"{operation,-10} {(size >= 1 << 20 ? $"{size >> 20} MiB" : $"{size >> 10} KiB"),8} {count,7} {megabytes / store,11:F1} {count / store,12:F0} {megabytes / raw,10:F1} {count / raw,10:F0} {raw / store,6:F2}"));
}

static double Median(List<double> values)
{
    var sorted = values.Order().ToArray();
    return sorted[sorted.Length / 2];
}

static string? ArgValue(string name)
{
    var args = Environment.GetCommandLineArgs();
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
}
