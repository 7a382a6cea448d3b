from kyso_signer import main

main()
