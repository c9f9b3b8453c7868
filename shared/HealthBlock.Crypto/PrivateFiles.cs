using System.Text;

namespace HealthBlock.Crypto;

/// <summary>Files only their owner may read: keys, certificates' keys, sealed secrets (mode 0600 on Unix).</summary>
public static class PrivateFiles
{
    /// <summary>The mode of a private file on Unix: read and write for the owner, nothing for anyone else.</summary>
    public const UnixFileMode Mode = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>Creates (or replaces) <paramref name="path"/> with owner-only permissions, writes it and flushes it to disk.</summary>
    public static void WriteAllBytes(string path, ReadOnlySpan<byte> bytes, bool overwrite = true)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var options = new FileStreamOptions { Mode = overwrite ? FileMode.Create : FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = Mode;
        }

        using var stream = new FileStream(path, options);
        if (!OperatingSystem.IsWindows())
        {
            // FileMode.Create keeps the mode of a file that already existed: set it again.
            File.SetUnixFileMode(stream.SafeFileHandle, Mode);
        }

        stream.Write(bytes);
        stream.Flush(flushToDisk: true);
    }

    /// <summary>Writes UTF-8 <paramref name="text"/> as <see cref="WriteAllBytes"/> does.</summary>
    public static void WriteAllText(string path, string text, bool overwrite = true) =>
        WriteAllBytes(path, Encoding.UTF8.GetBytes(text), overwrite);
}
