using Brook.Commands;

namespace Brook.Cli.Tests;

public sealed class DocsTests
{
    /// <summary>docs/cli.md is generated; regenerate with `dotnet run --project src/Brook -- docs cli > docs/cli.md`.</summary>
    [Fact]
    public void The_cli_reference_in_docs_matches_the_command_definitions()
    {
        string path = Path.Combine(RepositoryRoot(), "docs", "cli.md");
        string expected = DocsCommand.Reference(BrookCli.CreateRoot());

        Assert.True(File.Exists(path), "docs/cli.md is missing: run `brook docs cli > docs/cli.md`");
        Assert.True(expected == File.ReadAllText(path), "docs/cli.md is stale: run `dotnet run --project src/Brook -- docs cli > docs/cli.md`");
    }

    [Fact]
    public void The_reference_documents_every_visible_command_and_option()
    {
        string reference = DocsCommand.Reference(BrookCli.CreateRoot());

        Assert.Contains("### `brook topic consume`", reference, StringComparison.Ordinal);
        Assert.Contains("| `-o, --offset OFFSET` |", reference, StringComparison.Ordinal);
        Assert.Contains("#### `brook cluster config set`", reference, StringComparison.Ordinal);
        Assert.DoesNotContain("__complete", reference, StringComparison.Ordinal);
        Assert.DoesNotContain("## `brook docs", reference, StringComparison.Ordinal);
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Brook.slnx")))
            {
                return directory.FullName;
            }
        }
        throw new InvalidOperationException("Brook.slnx not found above " + AppContext.BaseDirectory);
    }
}
