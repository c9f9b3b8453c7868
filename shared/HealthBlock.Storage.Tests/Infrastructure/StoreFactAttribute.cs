using Xunit.Abstractions;
using Xunit.Sdk;

namespace HealthBlock.Storage.Tests.Infrastructure;

/// <summary>
/// Marks a test class (or method) that needs the IPFS daemon. Its <see cref="StoreFactAttribute"/> and
/// <see cref="StoreTheoryAttribute"/> tests are reported as skipped, with the reason, when
/// <see cref="IpfsTestEnvironment.SkipReason"/> says the daemon is not configured.
/// </summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Method)]
public sealed class RequiresIpfsAttribute : Attribute;

/// <summary>A fact that is skipped, visibly, when its class needs a service this run does not have.</summary>
[XunitTestCaseDiscoverer("HealthBlock.Storage.Tests.Infrastructure.StoreFactDiscoverer", "HealthBlock.Storage.Tests")]
[AttributeUsage(AttributeTargets.Method)]
public sealed class StoreFactAttribute : FactAttribute;

/// <summary>A theory that is skipped, visibly, when its class needs a service this run does not have.</summary>
[XunitTestCaseDiscoverer("HealthBlock.Storage.Tests.Infrastructure.StoreTheoryDiscoverer", "HealthBlock.Storage.Tests")]
[AttributeUsage(AttributeTargets.Method)]
public sealed class StoreTheoryAttribute : TheoryAttribute;

/// <summary>Decides from the concrete test class whether a test can run.</summary>
internal static class Requirements
{
    public static string? SkipReason(ITestMethod method)
    {
        var name = typeof(RequiresIpfsAttribute).AssemblyQualifiedName!;
        var needsIpfs = method.TestClass.Class.GetCustomAttributes(name).Any() || method.Method.GetCustomAttributes(name).Any();
        return needsIpfs ? IpfsTestEnvironment.SkipReason : null;
    }

    public static IXunitTestCase Skipped(IMessageSink sink, ITestFrameworkDiscoveryOptions options, ITestMethod method, string reason) =>
        new XunitSkippedDataRowTestCase(sink, options.MethodDisplayOrDefault(), options.MethodDisplayOptionsOrDefault(), method, reason);
}

/// <summary>Discovers <see cref="StoreFactAttribute"/> tests.</summary>
public sealed class StoreFactDiscoverer(IMessageSink diagnosticMessageSink) : FactDiscoverer(diagnosticMessageSink)
{
    /// <inheritdoc />
    public override IEnumerable<IXunitTestCase> Discover(ITestFrameworkDiscoveryOptions discoveryOptions, ITestMethod testMethod, IAttributeInfo factAttribute) =>
        Requirements.SkipReason(testMethod) is { } reason
            ? [Requirements.Skipped(DiagnosticMessageSink, discoveryOptions, testMethod, reason)]
            : base.Discover(discoveryOptions, testMethod, factAttribute);
}

/// <summary>Discovers <see cref="StoreTheoryAttribute"/> tests.</summary>
public sealed class StoreTheoryDiscoverer(IMessageSink diagnosticMessageSink) : TheoryDiscoverer(diagnosticMessageSink)
{
    /// <inheritdoc />
    public override IEnumerable<IXunitTestCase> Discover(ITestFrameworkDiscoveryOptions discoveryOptions, ITestMethod testMethod, IAttributeInfo theoryAttribute) =>
        Requirements.SkipReason(testMethod) is { } reason
            ? [Requirements.Skipped(DiagnosticMessageSink, discoveryOptions, testMethod, reason)]
            : base.Discover(discoveryOptions, testMethod, theoryAttribute);
}
