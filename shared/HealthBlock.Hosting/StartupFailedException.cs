namespace HealthBlock.Hosting;

/// <summary>
/// A role could not start, for a reason its operator can fix: a bad option, a key not in the genesis, an address in
/// use, a folder in use. The message is one line that names what failed (the option, the address, the file); the
/// command line prints it as <c>healthblock: MESSAGE</c> and exits with code 2, never with a stack trace.
/// </summary>
public sealed class StartupFailedException : Exception
{
    /// <summary>Creates the exception.</summary>
    public StartupFailedException()
    {
    }

    /// <summary>Creates the exception with its one-line message.</summary>
    public StartupFailedException(string message)
        : base(OneLine(message))
    {
    }

    /// <summary>Creates the exception with its one-line message and the cause.</summary>
    public StartupFailedException(string message, Exception innerException)
        : base(OneLine(message), innerException)
    {
    }

    /// <summary><paramref name="message"/> on one line (line breaks become spaces).</summary>
    public static string OneLine(string message) => (message ?? "").ReplaceLineEndings(" ").Trim();
}
