// Shared by the test projects (linked into each, not a library).
namespace HealthBlock.TestSupport;

/// <summary>Reads an SQLite database's files raw (the database, <c>-wal</c>, <c>-shm</c>), as someone with the disk would.</summary>
internal static class SqliteFiles
{
    /// <summary>
    /// The name and bytes of each of <paramref name="fileName"/>, its <c>-wal</c> and its <c>-shm</c> in
    /// <paramref name="folder"/> that exists, read while their owner may have them open. SQLite deletes <c>-wal</c> and
    /// <c>-shm</c> at any moment (a checkpoint, the last pooled connection closing): a file gone between listing and
    /// reading holds nothing and is left out.
    /// </summary>
    public static List<(string Name, byte[] Bytes)> Read(string folder, string fileName)
    {
        var files = new List<(string, byte[])>();
        foreach (var name in new[] { fileName, fileName + "-wal", fileName + "-shm" })
        {
            try
            {
                using var stream = new FileStream(Path.Combine(folder, name), FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
                using var copy = new MemoryStream();
                stream.CopyTo(copy);
                files.Add((name, copy.ToArray()));
            }
            catch (FileNotFoundException)
            {
            }
        }

        return files;
    }
}
