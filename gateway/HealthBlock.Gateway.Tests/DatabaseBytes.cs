using HealthBlock.Gateway.Store;

namespace HealthBlock.Gateway.Tests;

/// <summary>Reads <c>gateway.db</c> and its <c>-wal</c> and <c>-shm</c> raw, as someone with the disk would.</summary>
internal static class DatabaseBytes
{
    /// <summary>
    /// Fails when <paramref name="needle"/> is in any of the database's files in <paramref name="folder"/>. SQLite may
    /// delete <c>-wal</c> and <c>-shm</c> at any moment (a checkpoint, the last pooled connection closing): a file
    /// gone between listing and reading holds nothing.
    /// </summary>
    public static void AssertNowhere(string folder, byte[] needle, string what)
    {
        var files = Directory.GetFiles(folder, GatewayStore.FileName + "*");
        Assert.Contains(files, f => Path.GetFileName(f) == GatewayStore.FileName);
        foreach (var file in files)
        {
            byte[] bytes;
            try
            {
                using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
                using var copy = new MemoryStream();
                stream.CopyTo(copy);
                bytes = copy.ToArray();
            }
            catch (FileNotFoundException)
            {
                continue;
            }

            Assert.True(bytes.AsSpan().IndexOf(needle) < 0, $"{what} is in clear in {Path.GetFileName(file)}");
        }
    }
}
