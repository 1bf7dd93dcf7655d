from comp_tracker.cli import main

main()
