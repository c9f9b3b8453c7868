namespace HealthBlock.Gateway.Admin;

/// <summary>The data folder's lock is held: the gateway (or a CLI command) is working on it already.</summary>
public sealed class DataFolderInUseException : InvalidOperationException
{
    /// <summary>Creates the exception for <paramref name="folder"/>, held by <paramref name="pid"/> when known.</summary>
    public DataFolderInUseException(string folder, int? pid)
        : base($"The gateway data folder {folder} is in use{(pid is { } p ? $" (by pid {p})" : "")}: a gateway already runs on it, or a command works on it.")
    {
        Pid = pid;
    }

    /// <summary>Creates the exception.</summary>
    public DataFolderInUseException()
    {
    }

    /// <summary>Creates the exception.</summary>
    public DataFolderInUseException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    public DataFolderInUseException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The holder's pid, when it wrote one.</summary>
    public int? Pid { get; }
}
