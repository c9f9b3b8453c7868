using System.Runtime.InteropServices;

namespace HealthBlock.Storage.Embedded;

/// <summary>
/// Makes directory entries durable: after a rename or create, the containing directory itself must be
/// fsynced, or a power cut can lose the new name even though the file's data reached the disk.
/// .NET has no API for it, so this opens the directory read-only and calls fsync(2) on Unix.
/// </summary>
internal static partial class DirectorySync
{
    private const int ReadOnly = 0; // O_RDONLY is 0 on Linux and macOS.

    /// <summary>Flushes the directory's entries to disk. A no-op on Windows, where NTFS journals renames.</summary>
    /// <exception cref="IOException">open or fsync failed.</exception>
    public static void Flush(string directory)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        var fd = Open(directory, ReadOnly);
        if (fd < 0)
        {
            throw new IOException($"Could not open directory '{directory}' to fsync it (errno {Marshal.GetLastPInvokeError()}).");
        }

        try
        {
            if (FSync(fd) != 0)
            {
                throw new IOException($"fsync of directory '{directory}' failed (errno {Marshal.GetLastPInvokeError()}).");
            }
        }
        finally
        {
            _ = Close(fd);
        }
    }

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static partial int FSync(int fd);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int Close(int fd);
}
