using Brook.Cli;

namespace Brook.Commands;

/// <summary>
/// <c>brook completion bash|zsh|fish</c> prints a script that asks the hidden <c>brook __complete</c>
/// for candidates, so completion always matches the installed command tree.
/// </summary>
public static class CompletionCommand
{
    public static CliCommand Create() =>
        new CliCommand("completion", "print a shell completion script")
        {
            Details = "bash: source <(brook completion bash)   zsh: source <(brook completion zsh)   fish: brook completion fish | source",
        }
            .With(new CliArgument("SHELL", "bash, zsh or fish"))
            .Runs(async context =>
            {
                string script = context.Argument(0) switch
                {
                    "bash" => Bash,
                    "zsh" => Zsh,
                    "fish" => Fish,
                    var other => throw new UsageException($"no completion for shell '{other}' (bash, zsh, fish)"),
                };
                await context.Out.WriteAsync(script);
                return ExitCodes.Ok;
            });

    /// <summary>The hidden <c>brook __complete WORDS...</c>: candidates for the word after the words typed so far.</summary>
    public static CliCommand CreateCandidates() =>
        new CliCommand("__complete", "completion candidates for the words typed so far") { Hidden = true, PassThrough = true }
            .Runs(async context =>
            {
                foreach (string candidate in Candidates(BrookCli.CreateRoot(), context.Arguments.Positionals))
                {
                    await context.Out.WriteLineAsync(candidate);
                }
                return ExitCodes.Ok;
            });

    public static IEnumerable<string> Candidates(CliCommand root, IReadOnlyList<string> words)
    {
        ArgumentNullException.ThrowIfNull(root);
        ArgumentNullException.ThrowIfNull(words);
        CliCommand command = root;
        CliOption? pending = null;
        foreach (string word in words)
        {
            if (pending is not null)
            {
                pending = null;
                continue;
            }
            CliOption? option = command.AllOptions(BrookCli.GlobalOptions).FirstOrDefault(o => o.Name == word || o.Alias == word);
            if (option is not null)
            {
                pending = option.IsFlag ? null : option;
                continue;
            }
            if (command.Find(word) is { Hidden: false } sub)
            {
                command = sub;
            }
        }
        if (pending is not null)
        {
            return pending.Choices;
        }
        return command.Subcommands.Where(c => !c.Hidden).Select(c => c.Name)
            .Concat(command.AllOptions(BrookCli.GlobalOptions).Select(o => o.Name));
    }

    private const string Bash = """
        # brook bash completion: source <(brook completion bash)
        _brook() {
            local cur=${COMP_WORDS[COMP_CWORD]}
            local IFS=$'\n'
            COMPREPLY=($(compgen -W "$(brook __complete "${COMP_WORDS[@]:1:COMP_CWORD-1}" 2>/dev/null)" -- "$cur"))
        }
        complete -o default -F _brook brook

        """;

    private const string Zsh = """
        #compdef brook
        # brook zsh completion: source <(brook completion zsh)
        _brook() {
            local -a candidates
            candidates=("${(@f)$(brook __complete "${(@)words[2,CURRENT-1]}" 2>/dev/null)}")
            compadd -a candidates
        }
        compdef _brook brook

        """;

    private const string Fish = """
        # brook fish completion: brook completion fish | source
        complete -c brook -f -a '(brook __complete (commandline -opc)[2..-1] 2>/dev/null)'

        """;
}
