using HealthBlock.Gateway.Store;

namespace HealthBlock.Gateway.Tests;

/// <summary>Reads <c>gateway.db</c> and its <c>-wal</c> and <c>-shm</c> raw, as someone with the disk would.</summary>
internal static class DatabaseBytes
{
    /// <summary>Fails when <paramref name="needle"/> is in any of the database's files in <paramref name="folder"/> (<see cref="SqliteFiles.Read"/>).</summary>
    public static void AssertNowhere(string folder, byte[] needle, string what)
    {
        var files = SqliteFiles.Read(folder, GatewayStore.FileName);
        Assert.Contains(files, f => f.Name == GatewayStore.FileName);
        foreach (var (name, bytes) in files)
        {
            Assert.True(bytes.AsSpan().IndexOf(needle) < 0, $"{what} is in clear in {name}");
        }
    }
}
