namespace HealthBlock.Fhir.Tests;

public sealed class DeterministicUuidTests
{
    [Fact]
    public void Version_5_UUIDs_match_the_RFC_9562_example()
    {
        // RFC 9562 Appendix A.4: name "www.example.com" in the DNS namespace.
        var dns = new Guid("6ba7b810-9dad-11d1-80b4-00c04fd430c8");

        Assert.Equal("2ed6657d-e927-568b-95e1-2665a8aea6a2", DeterministicUuid.Create(dns, "www.example.com"));
    }

    [Fact]
    public void Names_in_HealthBlocks_namespace_give_stable_distinct_version_5_UUIDs()
    {
        var a = DeterministicUuid.Create("Patient/a");

        Assert.Equal(a, DeterministicUuid.Create("Patient/a"));
        Assert.NotEqual(a, DeterministicUuid.Create("Patient/b"));
        Assert.Equal('5', a[14]);
        Assert.Contains(a[19], "89ab");
    }
}
