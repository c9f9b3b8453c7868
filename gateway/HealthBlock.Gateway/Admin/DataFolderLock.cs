using System.Globalization;

namespace HealthBlock.Gateway.Admin;

/// <summary>
/// The exclusive lock on a gateway data folder: <c>gateway.lock</c> opened with <see cref="FileShare.None"/>, which
/// .NET implements on Linux and macOS as <c>flock(LOCK_EX | LOCK_NB)</c> on the open file (and on Windows as a sharing
/// lock). The kernel drops it when the holder exits, however it exits (SIGKILL and power cuts included), so a stale lock
/// never blocks a restart. Two opens conflict even within one process. (Setting
/// <c>DOTNET_SYSTEM_IO_DISABLEFILELOCKING</c> turns .NET's file locking off, and with it this lock.)
/// </summary>
public sealed class DataFolderLock : IDisposable
{
    private readonly FileStream _stream;
    private readonly string _pidPath;

    private DataFolderLock(FileStream stream, string pidPath)
    {
        _stream = stream;
        _pidPath = pidPath;
    }

    /// <summary>Takes the lock of <paramref name="folder"/>, or returns null when it is held.</summary>
    internal static DataFolderLock? TryTake(GatewayDataFolder folder)
    {
        Directory.CreateDirectory(folder.Path);
        FileStream stream;
        try
        {
            stream = new FileStream(folder.LockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException)
        {
            return null;
        }

        GatewayDataFolder.WritePrivate(folder.PidPath, Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
        return new DataFolderLock(stream, folder.PidPath);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        try
        {
            File.Delete(_pidPath);
        }
        catch (IOException)
        {
        }

        _stream.Dispose();
    }
}
