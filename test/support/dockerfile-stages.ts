import { readFile } from 'node:fs/promises';
import { Copy, DockerfileParser, Env, type From, type Instruction } from 'dockerfile-ast';

// The Dockerfile as its build stages, read with dockerfile-ast (the parser of the Docker
// language server): tests check the image's properties, and reproduce it, from the file itself.

export const DOCKERFILE = new URL('../../Dockerfile', import.meta.url);

export interface BuildStage {
  /** The `AS` name, if any. */
  readonly name: string | null;
  readonly from: From;
  /** The instructions after FROM, in order. */
  readonly instructions: readonly Instruction[];
}

/** A COPY: sources from the build context (`from` null) or from an earlier stage's filesystem. */
export interface CopyStep {
  readonly from: string | null;
  readonly sources: readonly string[];
  readonly destination: string;
}

export async function readBuildStages(): Promise<BuildStage[]> {
  const dockerfile = DockerfileParser.parse(await readFile(DOCKERFILE, 'utf8'));
  return dockerfile.getFROMs().map((from) => {
    const stage = dockerfile.getContainingImage(from.getRange().start);
    if (stage === null) throw new Error(`no build stage contains ${from.toString()}`);
    return {
      name: from.getBuildStage(),
      from,
      instructions: stage.getInstructions().filter((instruction) => instruction !== from),
    };
  });
}

export function instructionsOf(stage: BuildStage, keyword: string): Instruction[] {
  return stage.instructions.filter((instruction) => instruction.getKeyword() === keyword);
}

/** The one instruction of that kind in the stage (Docker uses the last; a second one is a mistake here). */
export function onlyInstruction(stage: BuildStage, keyword: string): Instruction {
  const found = instructionsOf(stage, keyword);
  if (found.length !== 1) throw new Error(`expected one ${keyword} in stage ${stage.name}, found ${found.length}`);
  return found[0]!;
}

export function copiesOf(stage: BuildStage): CopyStep[] {
  return instructionsOf(stage, 'COPY').map(copyStepOf);
}

export function copyStepOf(copy: Instruction): CopyStep {
  const paths = copy.getArguments().map((argument) => argument.getValue());
  return {
    from: copy instanceof Copy ? (copy.getFromFlag()?.getValue() ?? null) : null,
    sources: paths.slice(0, -1),
    destination: paths.at(-1)!,
  };
}

/** The stage's working directory: its last WORKDIR (all of them are absolute here). */
export function workdirOf(stage: BuildStage): string {
  return instructionsOf(stage, 'WORKDIR').at(-1)?.getArgumentsContent() ?? '/';
}

/** ENV name=value pairs the stage sets. */
export function environmentOf(stage: BuildStage): Record<string, string> {
  const properties = instructionsOf(stage, 'ENV').flatMap((env) => (env instanceof Env ? env.getProperties() : []));
  return Object.fromEntries(properties.map((property) => [property.getName(), property.getValue() ?? '']));
}

/** The argv of an exec-form (JSON array) command, or null for the shell form. */
export function execForm(command: string): string[] | null {
  if (!command.trimStart().startsWith('[')) return null;
  const argv: unknown = JSON.parse(command);
  return Array.isArray(argv) && argv.every((item) => typeof item === 'string') ? argv : null;
}

/** HEALTHCHECK's command, after its --flags and the CMD keyword. */
export function healthcheckCommandOf(stage: BuildStage): string {
  const content = onlyInstruction(stage, 'HEALTHCHECK').getArgumentsContent() ?? '';
  const command = /^(?:--\S+\s+)*CMD\s+([\s\S]*)$/.exec(content);
  if (command === null) throw new Error(`HEALTHCHECK without a CMD: ${content}`);
  return command[1]!;
}
