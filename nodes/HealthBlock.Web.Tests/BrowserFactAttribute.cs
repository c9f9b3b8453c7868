namespace HealthBlock.Web.Tests;

/// <summary>A browser test: skipped, with the reason, where no chromium is installed, except under CI where it fails.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class BrowserFactAttribute : FactAttribute
{
    public BrowserFactAttribute()
    {
        if (Chromium.SkipReason is { } reason)
        {
            Skip = reason;
        }
    }
}
