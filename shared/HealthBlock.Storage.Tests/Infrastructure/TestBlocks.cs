namespace HealthBlock.Storage.Tests.Infrastructure;

/// <summary>Deterministic pseudo-random payloads.</summary>
public static class TestBlocks
{
    /// <summary>"hello world" and its CID as IPFS makes it (ipfs block put --cid-codec=raw).</summary>
    public const string HelloWorldCid = "bafkreifzjut3te2nhyekklss27nh3k72ysco7y32koao5eei66wof36n5e";

    /// <summary>The bytes of "hello world".</summary>
    public static byte[] HelloWorld => "hello world"u8.ToArray();

    /// <summary>A payload of <paramref name="size"/> bytes fixed by <paramref name="seed"/>.</summary>
    public static byte[] Random(int size, int seed)
    {
        var bytes = new byte[size];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    /// <summary>A payload unique to this call.</summary>
    public static byte[] Unique(int size = 1024)
    {
        var bytes = new byte[size];
        System.Random.Shared.NextBytes(bytes);
        Guid.NewGuid().TryWriteBytes(bytes.AsSpan(0, Math.Min(16, size)));
        return bytes;
    }
}
