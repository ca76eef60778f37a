using System.Reflection;
using System.Xml.Linq;

namespace Brook.Architecture.Tests;

/// <summary>
/// Dependencies point one way (DEVELOPERS.md). Each project lists the Brook projects it may
/// reference, directly or through others; anything else is a layering break.
/// </summary>
public sealed class LayeringTests
{
    private static readonly Dictionary<string, string[]> Allowed = new()
    {
        ["Brook.Protocol"] = [],
        ["Brook.Storage"] = ["Brook.Protocol"],
        ["Brook.Raft"] = ["Brook.Storage", "Brook.Protocol"],
        ["Brook.Broker"] = ["Brook.Raft", "Brook.Storage", "Brook.Protocol"],
        ["Brook.Client"] = ["Brook.Protocol"],
        ["Brook.Http"] = ["Brook.Broker", "Brook.Client", "Brook.Raft", "Brook.Storage", "Brook.Protocol"],
        ["Brook"] = ["Brook.Http", "Brook.Broker", "Brook.Client", "Brook.Raft", "Brook.Storage", "Brook.Protocol"],
    };

    public static TheoryData<string> SourceProjects => new(Allowed.Keys);

    [Theory]
    [MemberData(nameof(SourceProjects))]
    public void A_project_references_only_the_layers_below_it(string project)
    {
        var reachable = ReachableProjects(project);
        var forbidden = reachable.Except(Allowed[project]).ToList();
        Assert.True(forbidden.Count == 0, $"{project} reaches {string.Join(", ", forbidden)}, which it must not");
    }

    [Theory]
    [MemberData(nameof(SourceProjects))]
    public void A_compiled_assembly_uses_only_the_layers_below_it(string project)
    {
        string assemblyName = project == "Brook" ? "brook" : project;
        var assembly = Assembly.Load(assemblyName);
        var used = assembly.GetReferencedAssemblies()
            .Select(a => a.Name!)
            .Where(n => n.StartsWith("Brook", StringComparison.Ordinal))
            .ToList();
        var forbidden = used.Except(Allowed[project]).ToList();
        Assert.True(forbidden.Count == 0, $"{assemblyName} uses {string.Join(", ", forbidden)}, which it must not");
    }

    [Fact]
    public void Every_source_project_is_in_the_layering_table()
    {
        var onDisk = Directory.GetDirectories(Path.Combine(RepositoryRoot(), "src")).Select(Path.GetFileName).ToList();
        Assert.Equal(Allowed.Keys.Order(StringComparer.Ordinal), onDisk.Order(StringComparer.Ordinal));
    }

    private static HashSet<string> ReachableProjects(string project)
    {
        var seen = new HashSet<string>();
        var pending = new Stack<string>(DirectReferences(project));
        while (pending.TryPop(out var next))
        {
            if (seen.Add(next))
            {
                foreach (var reference in DirectReferences(next))
                {
                    pending.Push(reference);
                }
            }
        }
        return seen;
    }

    private static IEnumerable<string> DirectReferences(string project)
    {
        var path = Path.Combine(RepositoryRoot(), "src", project, project + ".csproj");
        return XDocument.Load(path).Descendants("ProjectReference")
            .Select(e => Path.GetFileNameWithoutExtension(e.Attribute("Include")!.Value));
    }

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Brook.slnx")))
        {
            directory = directory.Parent;
        }
        return directory?.FullName ?? throw new InvalidOperationException("Brook.slnx not found above the test binaries");
    }
}
