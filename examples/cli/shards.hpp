// Data in CSV shards, for the commands that take them (train, predict): `--data` as a glob or a
// comma-separated list, shared by file among the ranks of `mpirun` (docs/scale-out.md).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "claimlens/communicator.hpp"

namespace claimlens::cli {

/// True when --data names several files (a glob, a comma-separated list) or mpirun started us.
bool wants_shards(const std::string& data);

/// The files of --data: each comma-separated item a file or a glob (its matches sorted), in the
/// order given, which is the global row order. IoError for a glob that matches nothing.
std::vector<std::string> data_files(const std::string& data);

/// The ranks of mpirun (claimlens_mpi) when it started us, else one process.
std::unique_ptr<Communicator> make_communicator();

/// Rank k of N's files: [k F / N, (k + 1) F / N) of the F files (none when N > F for some).
std::vector<std::string> rank_files(const std::vector<std::string>& files,
                                    const Communicator& comm);

/// Ends a sharded command after an error every rank raised: rank 0 prints it, the others wait
/// until it has (mpirun ends the job when a rank exits non-zero). The exit status.
int report_collective_error(const std::string& command, const CollectiveError& e,
                            Communicator& comm);

/// Ends a sharded command after an error this rank alone raised: with other ranks, it prints
/// it naming the rank and aborts the job (the others may wait in a collective); alone, rethrows.
[[noreturn]] void end_on_local_error(const std::string& command, const Error& e,
                                     Communicator& comm);

}  // namespace claimlens::cli
