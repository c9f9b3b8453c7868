using System.Text;

namespace HealthBlock.Fuzz;

/// <summary>One failing input.</summary>
/// <param name="Target">The target's name.</param>
/// <param name="Kind">What failed.</param>
/// <param name="ExceptionType">The exception's type, if any.</param>
/// <param name="Message">Its message or what was measured.</param>
/// <param name="StackTrace">Its stack trace, if any.</param>
/// <param name="InputHex">The input, lowercase hex.</param>
public sealed record Crash(string Target, CrashKind Kind, string? ExceptionType, string Message, string? StackTrace, string InputHex)
{
    /// <summary>The <see cref="Fuzz.KnownIssue.Id"/> this crash belongs to, or null for a new one.</summary>
    public string? KnownIssueId { get; init; }

    /// <summary>Groups crashes with the same cause: kind, exception type and the innermost frame.</summary>
    public string Signature => $"{Kind}:{ExceptionType}:{KnownIssueId}:{StackTrace?.Split('\n').FirstOrDefault(l => l.TrimStart().StartsWith("at ", StringComparison.Ordinal))?.Trim()}";

    /// <summary>A multi-line report.</summary>
    public string Describe()
    {
        var text = new StringBuilder();
        text.Append(Target).Append(": ").Append(Kind);
        if (KnownIssueId is not null)
        {
            text.Append(" [known issue ").Append(KnownIssueId).Append(']');
        }

        if (ExceptionType is not null)
        {
            text.Append(' ').Append(ExceptionType);
        }

        text.Append(": ").Append(Message).Append('\n');
        text.Append("  input (").Append(InputHex.Length / 2).Append(" bytes): ").Append(InputHex).Append('\n');
        if (StackTrace is not null)
        {
            text.Append(StackTrace).Append('\n');
        }

        return text.ToString();
    }
}
